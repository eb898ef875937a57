// The review panel's webview app. Plain DOM with VS Code theme variables. It pulls everything it
// shows from the host (pages of the current view, details, the map) and sends back only the
// messages of the shared protocol; labels are written by the host, which then pushes a new overview.

import type { ReviewDetailsView, ReviewHostMessage, ReviewItemView, ReviewOverviewView, ReviewPanelState, ReviewProjectionView, ReviewWebviewMessage } from '../../shared/protocol/review';
import { el } from '../shared/dom';
import { renderDetails } from './detailsPane';
import { EmbeddingMap } from './embeddingMap';
import { renderHeader } from './header';
import { HostRequests } from './hostRequests';
import { commandFor, SHORTCUTS, type ReviewCommand } from './keymap';
import { VirtualGrid } from './virtualGrid';

interface VsCodeApi {
  postMessage(message: ReviewWebviewMessage): void;
  getState(): ReviewPanelState | undefined;
  setState(state: ReviewPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const PAGE_SIZE = 60;
const DETAILS_DELAY_MS = 80;

const vscode = acquireVsCodeApi();
const saved: ReviewPanelState = vscode.getState() ?? {};
const requests = new HostRequests((message) => vscode.postMessage(message));

let overview: ReviewOverviewView | undefined;
let activeView = saved.view ?? '';
let showMap = saved.showMap ?? false;
let pages = new Map<number, ReviewItemView[]>();
let requested = new Set<number>();
let projection: ReviewProjectionView | undefined;
let detailsTimer: number | undefined;
let shownDetails: string | undefined;
/** After a label or skip on one image: where focus was and how many items the view had. */
let advanceFrom: { index: number; total: number } | undefined;
let restoredFocus = saved.focusIndex;

const app = document.getElementById('app')!;
const headerSlot = el('div', { class: 'header-slot' });
const grid = new VirtualGrid(
  { itemAt, needRange },
  {
    focusChanged: () => {
      scheduleDetails();
      saveState();
    },
    selectionChanged: () => scheduleDetails(true),
    activate: (index) => openItem(index),
  },
);
const details = el('section', { class: 'details', 'aria-label': 'Details of the focused image' });
const map = new EmbeddingMap((relPath) => focusPath(relPath));
const mapSection = el('section', { class: 'map-section', 'aria-label': 'Embedding map' });
mapSection.append(el('h3', {}, 'Embedding map'), map.canvas, legend());
const side = el('aside', { class: 'side' });
side.append(details, mapSection);
const help = renderHelp();
const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
const statusText = el('span', { class: 'status-text' });
const cancelButton = el('button', { type: 'button', class: 'secondary', title: 'Cancel the running operation' }, 'Cancel');
cancelButton.hidden = true;
cancelButton.addEventListener('click', () => vscode.postMessage({ type: 'cancelOperation' }));
status.append(statusText, cancelButton);
const body = el('div', { class: 'body' });
body.append(grid.element, side);
app.replaceChildren(headerSlot, body, status, help);
mapSection.hidden = !showMap;

window.addEventListener('message', (event: MessageEvent<ReviewHostMessage>) => onHostMessage(event.data));
grid.element.addEventListener('keydown', onKey);
vscode.postMessage(saved.root ? { type: 'ready', root: saved.root } : { type: 'ready' });

function onHostMessage(message: ReviewHostMessage): void {
  switch (message?.type) {
    case 'overview':
      applyOverview(message.overview);
      return;
    case 'reply':
      requests.settle(message.requestId, message.reply);
      return;
    case 'busy':
      statusText.textContent = message.message ?? '';
      cancelButton.hidden = message.message === null || !message.cancellable;
      app.classList.toggle('busy', message.message !== null);
      return;
    case 'notice':
      statusText.textContent = message.message;
      return;
    case 'restoreState':
      // The host's copy of this panel's state is newer than the one the workbench gave back.
      activeView = message.state.view ?? activeView;
      showMap = message.state.showMap ?? showMap;
      mapSection.hidden = !showMap;
      restoredFocus = message.state.focusIndex ?? restoredFocus;
      return;
    case 'labelled':
      statusText.textContent = message.relPaths.length > 0 ? `Labelled ${message.relPaths.length} image(s) as ${message.label ?? 'unlabelled'}.` : 'Nothing was labelled.';
      return;
  }
}

function applyOverview(next: ReviewOverviewView): void {
  const rootChanged = overview?.root !== next.root;
  overview = next;
  if (!next.views.some((view) => view.id === activeView)) activeView = (next.views.find((view) => view.count > 0) ?? next.views[0])?.id ?? '';
  resetItems();
  renderHeaderNow();
  const total = next.views.find((view) => view.id === activeView)?.count ?? 0;
  grid.setTotal(total);
  if (rootChanged) grid.selected.clear();
  if (restoredFocus !== undefined) {
    grid.focus(restoredFocus);
    restoredFocus = undefined;
  } else if (advanceFrom) {
    // A view that keeps labelled images (a selection) moves on; one they leave (unlabelled) stays put.
    grid.focus(total === advanceFrom.total ? advanceFrom.index + 1 : advanceFrom.index);
    advanceFrom = undefined;
  } else {
    grid.focus(grid.focusIndex);
  }
  if (total === 0) details.replaceChildren(el('p', { class: 'muted' }, 'This view is empty.'));
  if (showMap) void loadMap();
  saveState();
}

function resetItems(): void {
  pages = new Map();
  requested = new Set();
  shownDetails = undefined;
  grid.invalidate();
}

function renderHeaderNow(): void {
  if (!overview) return;
  headerSlot.replaceChildren(
    renderHeader(overview, activeView, {
      selectRoot: (root) => vscode.postMessage({ type: 'selectRoot', root }),
      selectView,
      toggleMap,
      toggleHelp,
      exportView,
      acceptSuggestions: () => vscode.postMessage({ type: 'acceptSuggestions' }),
    }),
  );
}

function selectView(view: string): void {
  if (!overview || view === activeView) return;
  activeView = view;
  grid.selected.clear();
  grid.focusIndex = 0;
  grid.element.scrollTop = 0;
  applyOverview(overview);
  grid.element.focus();
}

function itemAt(index: number): ReviewItemView | undefined {
  return pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}

function needRange(start: number, end: number): void {
  for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor((end - 1) / PAGE_SIZE); page++) void loadPage(page);
}

async function loadPage(page: number): Promise<void> {
  if (!overview || pages.has(page) || requested.has(page)) return;
  requested.add(page);
  const view = activeView;
  const generation = overview.generation;
  const reply = await requests.request({ kind: 'page', view, offset: page * PAGE_SIZE, count: PAGE_SIZE });
  if (view !== activeView || generation !== overview?.generation) return; // the view changed meanwhile
  if (reply.kind !== 'page') {
    requested.delete(page);
    statusText.textContent = reply.kind === 'error' ? reply.message : 'Unexpected reply.';
    return;
  }
  pages.set(page, reply.items);
  grid.invalidate();
  if (shownDetails === undefined) scheduleDetails();
}

function scheduleDetails(force = false): void {
  window.clearTimeout(detailsTimer);
  detailsTimer = window.setTimeout(() => void loadDetails(force), DETAILS_DELAY_MS);
}

async function loadDetails(force: boolean): Promise<void> {
  const item = itemAt(grid.focusIndex);
  if (!item || (item.relPath === shownDetails && !force)) return;
  await showDetailsOf(item.relPath);
}

async function showDetailsOf(relPath: string): Promise<void> {
  shownDetails = relPath;
  const reply = await requests.request({ kind: 'details', relPath, ...(activeView ? { view: activeView } : {}) });
  if (shownDetails !== relPath) return;
  if (reply.kind === 'details') {
    details.replaceChildren(
      ...renderDetails(reply.details as ReviewDetailsView, grid.selected.size, {
        openFile: (path) => vscode.postMessage({ type: 'openFile', relPath: path }),
        labelGroup: () => labelGroupOf(reply.details.item),
        createClass: activeView === NEW_CLASSES_VIEW ? () => createClassFrom(reply.details.item) : undefined,
      }),
    );
  } else if (reply.kind === 'error') {
    details.replaceChildren(el('p', { class: 'problem' }, reply.message));
  }
  map.highlight(relPath);
}

function onKey(event: KeyboardEvent): void {
  const command = commandFor(event);
  if (!command) return;
  event.preventDefault();
  run(command);
}

function run(command: ReviewCommand): void {
  const columns = grid.columnCount;
  switch (command.kind) {
    case 'move': {
      const step = { left: -1, right: 1, up: -columns, down: columns, pageUp: -columns * grid.visibleRows, pageDown: columns * grid.visibleRows, home: -Infinity, end: Infinity }[command.by];
      const target = step === -Infinity ? 0 : step === Infinity ? grid.count - 1 : grid.focusIndex + step;
      grid.focus(target, command.extend ? 'extend' : 'move');
      return;
    }
    case 'acceptClass': {
      const chosen = classForRank(command.rank);
      if (!chosen) return;
      labelTargets((relPaths) => vscode.postMessage({ type: 'applyLabel', relPaths, label: chosen }));
      return;
    }
    case 'labelGroup':
      labelGroupOf(itemAt(grid.focusIndex));
      return;
    case 'createClassFromGroup':
      createClassFrom(itemAt(grid.focusIndex));
      return;
    case 'exportView':
      exportView();
      return;
    case 'pickClass':
      labelTargets((relPaths) => vscode.postMessage({ type: 'pickLabel', relPaths }));
      return;
    case 'toggleSkip': {
      const items = targets();
      const skipped = !items.every((item) => item.skipped);
      labelTargets((relPaths) => vscode.postMessage({ type: 'markSkipped', relPaths, skipped }));
      return;
    }
    case 'undoLabel':
      vscode.postMessage({ type: 'undoLabel' });
      return;
    case 'toggleSelect':
      grid.focus(grid.focusIndex, 'toggle');
      return;
    case 'clearSelection':
      grid.clearSelection();
      return;
    case 'openFile':
      openItem(grid.focusIndex);
      return;
    case 'toggleMap':
      toggleMap();
      return;
    case 'toggleHelp':
      toggleHelp();
      return;
  }
}

/**
 * The class the n-th number key stands for: the focused image's n-th suggestion when it has
 * suggestions (the chips on its tile), otherwise the n-th most frequent class of the header.
 * With several images selected, the focused image's suggestions label all of them.
 */
function classForRank(rank: number): string | undefined {
  const suggestions = itemAt(grid.focusIndex)?.suggestions;
  if (suggestions && suggestions.length > 0) {
    const suggestion = suggestions[rank - 1];
    if (!suggestion) statusText.textContent = `This image has only ${suggestions.length} suggestion(s); press L to choose another class.`;
    return suggestion?.label;
  }
  const chosen = overview?.classes[rank - 1];
  if (!chosen) statusText.textContent = `There is no class number ${rank} yet: press L to choose or type a class.`;
  return chosen?.name;
}

function labelGroupOf(item: ReviewItemView | undefined): void {
  if (overview && !overview.canWrite) {
    statusText.textContent = overview.readOnlyReason ?? 'Labels cannot be written here (Restricted Mode, or the label service is unavailable).';
    return;
  }
  if (!item?.group) {
    statusText.textContent = 'Only images of the Clusters and Duplicates views belong to a group that can be labelled at once.';
    return;
  }
  vscode.postMessage({ type: 'labelGroup', view: activeView, groupId: item.group.id });
}

/** The view of "new class?" images in groups of look-alikes (core/review/suggestionViews.ts). */
const NEW_CLASSES_VIEW = 'new-classes';

function createClassFrom(item: ReviewItemView | undefined): void {
  if (overview && !overview.canWrite) {
    statusText.textContent = overview.readOnlyReason ?? 'Labels cannot be written here (Restricted Mode, or the label service is unavailable).';
    return;
  }
  if (activeView !== NEW_CLASSES_VIEW || !item?.group) {
    statusText.textContent = 'N creates a class from a group of the view "Possibly new classes".';
    return;
  }
  vscode.postMessage({ type: 'createClassFromGroup', view: activeView, groupId: item.group.id });
}

/** Exports the selected images, or the whole view when nothing is selected; the host asks how and where. */
function exportView(): void {
  if (!activeView) return;
  const selected = grid.selected.size > 0 ? targets().map((item) => item.relPath) : [];
  vscode.postMessage(selected.length > 0 ? { type: 'exportView', view: activeView, relPaths: selected } : { type: 'exportView', view: activeView });
}

/** The selected images, or the focused one when nothing is selected (only images already loaded). */
function targets(): ReviewItemView[] {
  const indices = grid.selected.size > 0 ? [...grid.selected].sort((a, b) => a - b) : [grid.focusIndex];
  return indices.map(itemAt).filter((item): item is ReviewItemView => item !== undefined);
}

function labelTargets(send: (relPaths: string[]) => void): void {
  if (overview && !overview.canWrite) {
    statusText.textContent = overview.readOnlyReason ?? 'Labels cannot be written here (Restricted Mode, or the label service is unavailable).';
    return;
  }
  const items = targets();
  if (items.length === 0) return;
  if (grid.selected.size === 0) advanceFrom = { index: grid.focusIndex, total: grid.count };
  else grid.clearSelection();
  send(items.map((item) => item.relPath));
}

function openItem(index: number): void {
  const item = itemAt(index);
  if (item) vscode.postMessage({ type: 'openFile', relPath: item.relPath });
}

function focusPath(relPath: string): void {
  for (const [page, items] of pages) {
    const at = items.findIndex((item) => item.relPath === relPath);
    if (at >= 0) {
      grid.focus(page * PAGE_SIZE + at);
      return;
    }
  }
  void showDetailsOf(relPath);
  statusText.textContent = `${relPath} is not among the loaded items of this view; its details are shown.`;
}

function toggleMap(): void {
  showMap = !showMap;
  mapSection.hidden = !showMap;
  if (showMap) void loadMap();
  saveState();
}

async function loadMap(): Promise<void> {
  if (!overview || projection?.generation === overview.generation) return;
  const reply = await requests.request({ kind: 'projection' });
  if (reply.kind === 'projection') {
    projection = reply.projection;
    map.show(projection);
    map.highlight(shownDetails);
  } else if (reply.kind === 'error') {
    mapSection.replaceChildren(el('h3', {}, 'Embedding map'), el('p', { class: 'muted' }, reply.message), map.canvas);
  }
}

function toggleHelp(): void {
  help.hidden = !help.hidden;
  if (!help.hidden) help.querySelector('button')?.focus();
  else grid.element.focus();
}

function renderHelp(): HTMLElement {
  const dialog = el('div', { class: 'help', role: 'dialog', 'aria-label': 'Keyboard shortcuts' });
  dialog.hidden = true;
  const table = el('table');
  for (const [keys, action] of SHORTCUTS) {
    const row = el('tr');
    row.append(el('th', { scope: 'row' }, keys), el('td', {}, action));
    table.append(row);
  }
  const close = el('button', { type: 'button' }, 'Close');
  close.addEventListener('click', toggleHelp);
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' || event.key === '?') toggleHelp();
  });
  dialog.append(el('h2', {}, 'Keyboard shortcuts'), table, close);
  return dialog;
}

function legend(): HTMLElement {
  const list = el('ul', { class: 'legend' });
  for (const kind of ['labelled', 'unlabelled', 'selected']) {
    const item = el('li');
    item.append(el('span', { class: `swatch ${kind}` }), document.createTextNode(kind));
    list.append(item);
  }
  return list;
}

function saveState(): void {
  const state: ReviewPanelState = { root: overview?.root, view: activeView || undefined, focusIndex: grid.focusIndex, showMap, savedAt: Date.now() };
  vscode.setState(state);
  // The host keeps a copy too: the workbench's can be lost on an abrupt page reload.
  vscode.postMessage({ type: 'stateChanged', state });
}
