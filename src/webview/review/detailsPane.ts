// The details of the focused image: a larger preview, its path, label and review state, every score
// with the reason behind it, and its nearest labelled neighbours by embedding.

import type { ReviewDetailsView } from '../../shared/protocol/review';
import { el, fmtValue } from '../shared/dom';

export interface DetailsEvents {
  openFile(relPath: string): void;
}

export function renderDetails(details: ReviewDetailsView, selectedCount: number, events: DetailsEvents): HTMLElement[] {
  const { item } = details;
  const nodes: HTMLElement[] = [];
  const preview = el('div', { class: 'preview' });
  if (details.previewUri) preview.append(el('img', { src: details.previewUri, alt: `Preview of ${item.relPath}` }));
  else preview.append(el('p', { class: 'problem' }, item.problem ?? 'No preview'));
  nodes.push(preview);

  const path = el('button', { type: 'button', class: 'link path', title: 'Open the image in an editor (O)' }, item.relPath);
  path.addEventListener('click', () => events.openFile(item.relPath));
  nodes.push(path);

  const facts = el('dl', { class: 'facts' });
  const fact = (name: string, value: string): void => {
    facts.append(el('dt', {}, name), el('dd', {}, value));
  };
  fact('Label', item.label ?? 'unlabelled');
  if (item.skipped) fact('Review', 'skipped');
  if (item.rank !== undefined) fact('Rank', String(item.rank));
  if (item.score !== undefined) fact('Score', fmtValue(item.score));
  for (const [reason, value] of Object.entries(item.reasons ?? {})) fact(reason, fmtValue(value));
  if (item.duplicates?.length) fact('Identical files', item.duplicates.join(', '));
  if (item.problem) fact('Problem', item.problem);
  if (selectedCount > 1) fact('Selected', `${selectedCount} images: a label applies to all of them`);
  nodes.push(facts);

  nodes.push(el('h3', {}, 'Nearest labelled images'));
  if (details.neighbours.length === 0) {
    nodes.push(el('p', { class: 'muted' }, details.neighbourNote ?? 'None.'));
  } else {
    const list = el('ul', { class: 'neighbours' });
    for (const n of details.neighbours) {
      const entry = el('li', { title: n.relPath });
      const link = el('button', { type: 'button', class: 'neighbour', 'aria-label': `${n.label}, similarity ${n.similarity.toFixed(2)}, ${n.relPath}` });
      if (n.thumbUri) link.append(el('img', { src: n.thumbUri, alt: '' }));
      link.append(el('span', { class: 'chip label' }, n.label), el('span', { class: 'score' }, n.similarity.toFixed(2)));
      link.addEventListener('click', () => events.openFile(n.relPath));
      entry.append(link);
      list.append(entry);
    }
    nodes.push(list);
  }
  return nodes;
}
