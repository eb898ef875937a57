// The details of the focused image: a larger preview, its path, label and review state, every
// suggested class with its probability and number key, every score with the reason behind it, its
// group (with the action that labels the whole group) and its nearest labelled neighbours.

import type { ReviewDetailsView } from '../../shared/protocol/review';
import { el, fmtValue } from '../shared/dom';
import { percent } from './virtualGrid';

export interface DetailsEvents {
  openFile(relPath: string): void;
  labelGroup(): void;
  /** Set in "Possibly new classes": makes the focused image's group a new class. */
  createClass?: () => void;
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
  // COCO and YOLO images: every annotated class, most instances first (the label is the first).
  if (item.classes) fact('Classes', item.classes.length > 0 ? item.classes.join(', ') : 'annotated, no objects');
  if (item.unknownClass) fact('New class?', `most likely of a class without labels${item.pNewClass !== undefined ? ` (p ${item.pNewClass.toFixed(2)})` : ''}`);
  if (item.skipped) fact('Review', 'skipped');
  if (item.rank !== undefined) fact('Rank', String(item.rank));
  if (item.score !== undefined) fact('Score', fmtValue(item.score));
  for (const [reason, value] of Object.entries(item.reasons ?? {})) fact(reason, fmtValue(value));
  if (item.duplicates?.length) fact('Identical files', item.duplicates.join(', '));
  if (item.problem) fact('Problem', item.problem);
  if (selectedCount > 1) fact('Selected', `${selectedCount} images: a label applies to all of them`);
  nodes.push(facts);

  if (item.suggestions?.length) nodes.push(el('h3', {}, 'Suggested classes'), suggestionList(item.suggestions));
  if (item.group) {
    const action = el('button', { type: 'button', class: 'group-action', title: 'Pick a class for every image of this group, then confirm (G)' }, `Label all ${item.group.size} of ${item.group.title}…`);
    action.addEventListener('click', () => events.labelGroup());
    nodes.push(action);
    if (events.createClass) {
      const create = el('button', { type: 'button', class: 'group-action create-class', title: 'Name a new class and move every image of this group into it (N)' }, `Create a class from these ${item.group.size}…`);
      create.addEventListener('click', () => events.createClass!());
      nodes.push(create);
    }
  }

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

/** Every suggestion, most likely first, with the number key that accepts it and its probability as a bar. */
function suggestionList(suggestions: { label: string; p: number }[]): HTMLElement {
  const list = el('ol', { class: 'suggestion-list', 'aria-label': 'Suggested classes; the number keys accept them' });
  for (const [position, s] of suggestions.entries()) {
    const entry = el('li', { title: `p = ${s.p.toFixed(4)}` });
    const bar = el('span', { class: 'bar', role: 'presentation' });
    bar.style.width = `${Math.max(2, s.p * 100).toFixed(1)}%`;
    entry.append(el('kbd', {}, position < 9 ? String(position + 1) : ''), el('span', { class: 'name' }, s.label), el('span', { class: 'num' }, percent(s.p)), bar);
    list.append(entry);
  }
  return list;
}
