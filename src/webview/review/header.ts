// The panel's header: which dataset, its counts, the model in use, the class histogram (with the
// number key of each frequent class) and the view switcher.

import type { ReviewOverviewView } from '../../shared/protocol/review';
import { el, fmt } from '../shared/dom';

export interface HeaderEvents {
  selectRoot(root: string): void;
  selectView(view: string): void;
  toggleMap(): void;
  toggleHelp(): void;
  exportView(): void;
  acceptSuggestions(): void;
}

const HISTOGRAM_CLASSES = 12;

export function renderHeader(overview: ReviewOverviewView, activeView: string, events: HeaderEvents): HTMLElement {
  const header = el('header', { class: 'header' });
  const title = el('div', { class: 'title-row' });
  if (overview.roots.length > 1) {
    const select = el('select', { 'aria-label': 'Dataset root' });
    for (const root of overview.roots) {
      const option = el('option', { value: root.root }, root.displayName);
      option.selected = root.root === overview.root;
      select.append(option);
    }
    select.addEventListener('change', () => events.selectRoot(select.value));
    title.append(select);
  } else {
    title.append(el('h1', {}, overview.displayName));
  }
  const { images, labelled, unlabelled, skipped, problems, embedded } = overview.counts;
  title.append(
    el(
      'span',
      { class: 'counts' },
      `${fmt(images)} images · ${fmt(labelled)} labelled · ${fmt(unlabelled)} unlabelled · ${fmt(skipped)} skipped · ${fmt(problems)} problems` +
        (embedded === null ? '' : ` · ${fmt(embedded)} embedded`),
    ),
  );
  const tools = el('span', { class: 'tools' });
  const suggestions = overview.views.find((view) => view.id === 'suggestions');
  if (activeView === 'suggestions' && overview.canWrite && suggestions && suggestions.count > 0) {
    tools.append(button('Accept sure…', 'Label every image of this view whose first suggestion is at least as probable as a threshold you pick', events.acceptSuggestions));
  }
  tools.append(button('Export…', 'Export the selected images, or the whole view, as copies, symlinks, CSV or JSON (E)', events.exportView), button('Map', 'Show or hide the embedding map (M)', events.toggleMap), button('Shortcuts', 'Keyboard shortcuts (?)', events.toggleHelp));
  title.append(tools);
  header.append(title, renderModel(overview), renderHistogram(overview), renderViewTabs(overview, activeView, events));
  if (!overview.canWrite) header.append(el('p', { class: 'notice' }, overview.readOnlyReason ?? 'Labels cannot be written here (Restricted Mode, or the label service is unavailable): browsing only.'));
  return header;
}

function renderModel(overview: ReviewOverviewView): HTMLElement {
  const { model, selection } = overview;
  const parts: string[] = [];
  if (model.name !== null) parts.push(`Model ${model.name} (${model.id}) on ${model.providerNote}`);
  else parts.push(model.id ? `Model ${model.id} (embeddings not computed in this session)` : 'Model: not resolved');
  parts.push(selection ? `Latest selection: ${selection.method}, ${fmt(selection.items)} images (${selection.file})` : 'No selection run yet');
  return el('p', { class: 'model muted' }, parts.join(' · '));
}

/** Bars on a log scale when counts span more than two orders of magnitude, so the long tail stays visible. */
function renderHistogram(overview: ReviewOverviewView): HTMLElement {
  const list = el('ol', { class: 'histogram', 'aria-label': 'Images per class; the number keys label as these classes' });
  const classes = overview.classes;
  if (classes.length === 0) {
    list.append(el('li', { class: 'muted' }, 'No labelled images yet: press L to choose or type a class.'));
    return list;
  }
  const max = classes[0].count;
  const min = classes[classes.length - 1].count;
  const logScale = max / Math.max(1, min) > 100;
  for (const [position, c] of classes.slice(0, HISTOGRAM_CLASSES).entries()) {
    const share = logScale ? Math.log1p(c.count) / Math.log1p(max) : c.count / max;
    const item = el('li', { title: `${c.name}: ${fmt(c.count)} images` });
    const bar = el('span', { class: 'bar', role: 'presentation' });
    bar.style.width = `${Math.max(4, share * 100).toFixed(1)}%`;
    item.append(el('kbd', {}, position < 9 ? String(position + 1) : ''), el('span', { class: 'name' }, c.name), el('span', { class: 'num' }, fmt(c.count)), bar);
    list.append(item);
  }
  if (classes.length > HISTOGRAM_CLASSES) list.append(el('li', { class: 'muted' }, `+ ${fmt(classes.length - HISTOGRAM_CLASSES)} more classes${logScale ? ' (log scale)' : ''}`));
  return list;
}

function renderViewTabs(overview: ReviewOverviewView, activeView: string, events: HeaderEvents): HTMLElement {
  const tabs = el('div', { class: 'views', role: 'tablist', 'aria-label': 'Views' });
  for (const view of overview.views) {
    const active = view.id === activeView;
    const tab = el('button', { type: 'button', role: 'tab', 'aria-selected': String(active), title: view.description, 'data-view': view.id }, `${view.title} (${fmt(view.count)})`);
    tab.tabIndex = active ? 0 : -1;
    tab.addEventListener('click', () => events.selectView(view.id));
    tabs.append(tab);
  }
  return tabs;
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'secondary', title }, text);
  b.addEventListener('click', onClick);
  return b;
}
