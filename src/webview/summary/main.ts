// The dataset summary view. Plain DOM with VS Code theme variables (no UI framework): it renders
// what the host sends and sends back only the messages in the shared protocol.

import type { SummaryHostMessage, RootSummaryView, SummaryViewModel, SummaryWebviewMessage } from '../../shared/protocol/summary';

interface VsCodeApi {
  postMessage(message: SummaryWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

window.addEventListener('message', (event: MessageEvent<SummaryHostMessage>) => {
  if (event.data?.type === 'summary') render(event.data.summary);
});
vscode.postMessage({ type: 'ready' });

function render(summary: SummaryViewModel): void {
  app.replaceChildren();
  const toolbar = el('div', { class: 'toolbar' });
  toolbar.append(
    button('Scan again', () => vscode.postMessage({ type: 'runCommand', command: 'curator.scanWorkspace' })),
    button('Compute embeddings', () => vscode.postMessage({ type: 'runCommand', command: 'curator.computeEmbeddings' })),
  );
  app.append(toolbar);
  if (summary.roots.length === 0) {
    app.append(el('p', { class: 'empty' }, 'No dataset roots found. Put labelled images in <root>/<class>/ and unlabelled ones in <root>/unlabeled/.'));
    return;
  }
  for (const root of summary.roots) app.append(renderRoot(root));
}

function renderRoot(root: RootSummaryView): HTMLElement {
  const section = el('section', { class: 'root', 'aria-label': `Dataset ${root.displayName}` });
  section.append(el('h2', {}, root.displayName));
  const { images, labelled, unlabelled } = root.counts;
  section.append(
    el(
      'p',
      { class: 'counts' },
      `${fmt(images)} images · ${fmt(labelled)} labelled · ${fmt(unlabelled)} unlabelled · ${fmt(root.classes.length)} classes · ${fmt(root.problems.length)} problems` +
        (root.manifest ? ` · labels from ${root.manifest}` : ''),
    ),
  );
  section.append(renderEmbedding(root));
  section.append(renderImageProblems(root));
  if (root.classes.length > 0) section.append(renderHistogram(root));
  if (root.problems.length > 0) section.append(renderProblems(root));
  return section;
}

function renderEmbedding(root: RootSummaryView): HTMLElement {
  const e = root.embedding;
  if (!e) return el('p', { class: 'embedding muted' }, root.cachedEmbeddings);
  const failed = e.failed.length > 0 ? ` · ${fmt(e.failed.length)} failed to decode` : '';
  const status = el(
    'p',
    { class: 'embedding' },
    `Embeddings: ${e.modelName} (${e.dim} dims) on ${e.providerNote} · ${fmt(e.embedded)} computed, ${fmt(e.fromCache)} from cache${failed}`,
  );
  if (!e.encoderCheck) return status;
  const block = el('div', {});
  block.append(status, el('p', { class: e.encoderCheck.low ? 'encoder-check low' : 'encoder-check' }, e.encoderCheck.sentence));
  if (e.encoderCheck.low) {
    block.append(button('Choose embedding model', () => vscode.postMessage({ type: 'runCommand', command: 'curator.chooseEmbeddingModel' })));
  }
  return block;
}

/** Findings per kind of the latest Find Image Problems run; the review panel's "Image problems" view lists them. */
function renderImageProblems(root: RootSummaryView): HTMLElement {
  const block = el('div', { class: 'image-problems' });
  const p = root.imageProblems;
  if (!p) {
    block.append(el('p', { class: 'muted' }, 'Image problems: not looked for yet.'));
  } else {
    block.append(el('p', {}, `Image problems: ${p.sentence}`));
    if (p.note) block.append(el('p', { class: 'muted image-problem-run' }, p.note));
    const table = el('table', { class: 'image-problem-counts', 'aria-label': 'Image problems per kind' });
    for (const { kind, count } of p.counts) {
      const row = el('tr');
      row.append(el('th', { scope: 'row' }, kind), el('td', { class: 'num' }, fmt(count)));
      table.append(row);
    }
    block.append(table);
  }
  block.append(button('Find image problems', () => vscode.postMessage({ type: 'runCommand', command: 'curator.findImageProblems' })));
  return block;
}

/** Bars on a log scale when counts span more than two orders of magnitude, so the long tail stays visible. */
function renderHistogram(root: RootSummaryView): HTMLElement {
  const max = Math.max(...root.classes.map((c) => c.count));
  const min = Math.min(...root.classes.map((c) => c.count));
  const logScale = max / Math.max(1, min) > 100;
  const table = el('table', { class: 'histogram', 'aria-label': 'Images per class' });
  table.append(el('caption', {}, `Images per class${logScale ? ' (log scale)' : ''}`));
  for (const c of root.classes) {
    const share = logScale ? Math.log1p(c.count) / Math.log1p(max) : c.count / max;
    const row = el('tr');
    const bar = el('div', { class: 'bar', role: 'presentation' });
    bar.style.width = `${Math.max(1, share * 100).toFixed(1)}%`;
    const barCell = el('td', { class: 'bar-cell' });
    barCell.append(bar);
    row.append(el('th', { scope: 'row' }, c.name), el('td', { class: 'num' }, fmt(c.count)), barCell);
    table.append(row);
  }
  return table;
}

function renderProblems(root: RootSummaryView): HTMLElement {
  const details = el('details', { class: 'problems' });
  details.append(el('summary', {}, `Problems (${fmt(root.problems.length)})`));
  const list = el('ul');
  for (const problem of root.problems.slice(0, 500)) {
    const item = el('li', { class: problem.severity });
    const link = el('a', { href: '#', title: 'Open file' }, problem.relPath + (problem.line ? `:${problem.line}` : ''));
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'openFile', root: root.root, relPath: problem.relPath });
    });
    item.append(el('span', { class: 'severity' }, problem.severity), ' ', link, ` — ${problem.message}`);
    list.append(item);
  }
  details.append(list);
  return details;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button' }, label);
  b.addEventListener('click', onClick);
  return b;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(value: number): string {
  return value.toLocaleString('en');
}
