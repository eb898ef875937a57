// A virtualised thumbnail grid (ARIA grid of rows and cells): only the rows in view plus a small
// margin exist in the DOM, so 100,000 items cost a few dozen nodes. Items are looked up by index
// on every render; missing ones show a placeholder and are asked for through needRange.

import type { ReviewItemView } from '../../shared/protocol/review';
import { el, fmtValue } from '../shared/dom';

export const TILE_WIDTH = 176;
export const ROW_HEIGHT = 234;
/** Rows rendered above and below the visible ones, so fast scrolling rarely shows placeholders. */
const MARGIN_ROWS = 2;

export interface GridSource {
  itemAt(index: number): ReviewItemView | undefined;
  /** Items [start, end) are about to be shown. */
  needRange(start: number, end: number): void;
}

export interface GridEvents {
  focusChanged(index: number): void;
  selectionChanged(): void;
  activate(index: number): void;
}

export class VirtualGrid {
  readonly element: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly rows = new Map<number, HTMLElement>();
  private readonly tileSignatures = new Map<number, string>();
  private total = 0;
  private columns = 1;
  private renderQueued = false;
  focusIndex = 0;
  readonly selected = new Set<number>();
  private anchor = 0;

  constructor(
    private readonly source: GridSource,
    private readonly events: GridEvents,
  ) {
    this.element = el('div', { class: 'grid', role: 'grid', tabindex: '0', 'aria-label': 'Images', 'aria-multiselectable': 'true' });
    this.sizer = el('div', { class: 'grid-sizer', role: 'presentation' });
    this.element.append(this.sizer);
    this.element.addEventListener('scroll', () => this.queueRender());
    new ResizeObserver(() => this.relayout()).observe(this.element);
  }

  get count(): number {
    return this.total;
  }

  get columnCount(): number {
    return this.columns;
  }

  /** Rows that fit in the visible height (for Page Up/Down). */
  get visibleRows(): number {
    return Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT));
  }

  setTotal(total: number): void {
    this.total = total;
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, total - 1));
    for (const index of [...this.selected]) if (index >= total) this.selected.delete(index);
    this.element.setAttribute('aria-rowcount', String(Math.ceil(total / this.columns)));
    this.sizer.style.height = `${Math.ceil(total / this.columns) * ROW_HEIGHT}px`;
    this.invalidate();
  }

  /** Forgets every rendered tile (the items changed) and renders again. */
  invalidate(): void {
    this.tileSignatures.clear();
    this.queueRender();
  }

  /** Moves focus to `index`, extending the selection from the anchor when asked. */
  focus(index: number, mode: 'move' | 'extend' | 'toggle' = 'move'): void {
    if (this.total === 0) return;
    const target = Math.min(this.total - 1, Math.max(0, index));
    if (mode === 'extend') {
      this.selected.clear();
      for (let i = Math.min(this.anchor, target); i <= Math.max(this.anchor, target); i++) this.selected.add(i);
    } else if (mode === 'toggle') {
      if (this.selected.has(target)) this.selected.delete(target);
      else this.selected.add(target);
      this.anchor = target;
    } else {
      this.anchor = target;
    }
    this.focusIndex = target;
    this.scrollIntoView(target);
    this.queueRender();
    this.events.focusChanged(target);
    if (mode !== 'move') this.events.selectionChanged();
  }

  clearSelection(): void {
    this.selected.clear();
    this.queueRender();
    this.events.selectionChanged();
  }

  private scrollIntoView(index: number): void {
    const top = Math.floor(index / this.columns) * ROW_HEIGHT;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + ROW_HEIGHT > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + ROW_HEIGHT - this.element.clientHeight;
  }

  private relayout(): void {
    const columns = Math.max(1, Math.floor(this.element.clientWidth / TILE_WIDTH));
    if (columns !== this.columns) {
      this.columns = columns;
      this.element.setAttribute('aria-colcount', String(columns));
      for (const row of this.rows.values()) row.remove();
      this.rows.clear();
      this.setTotal(this.total);
      this.scrollIntoView(this.focusIndex);
    }
    this.queueRender();
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    const rowCount = Math.ceil(this.total / this.columns);
    const firstRow = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - MARGIN_ROWS);
    const lastRow = Math.min(rowCount, Math.ceil((this.element.scrollTop + this.element.clientHeight) / ROW_HEIGHT) + MARGIN_ROWS);
    for (const [r, row] of this.rows) {
      if (r < firstRow || r >= lastRow) {
        row.remove();
        this.rows.delete(r);
        for (let c = 0; c < this.columns; c++) this.tileSignatures.delete(r * this.columns + c);
      }
    }
    if (lastRow > firstRow) this.source.needRange(firstRow * this.columns, Math.min(this.total, lastRow * this.columns));
    for (let r = firstRow; r < lastRow; r++) {
      let row = this.rows.get(r);
      if (!row) {
        row = el('div', { class: 'grid-row', role: 'row', 'aria-rowindex': String(r + 1) });
        row.style.top = `${r * ROW_HEIGHT}px`;
        this.rows.set(r, row);
        this.sizer.append(row);
      }
      for (let c = 0; c < this.columns; c++) this.renderTile(row, r * this.columns + c, c);
    }
    const focusedRendered = this.rows.has(Math.floor(this.focusIndex / this.columns)) && this.focusIndex < this.total;
    if (focusedRendered) this.element.setAttribute('aria-activedescendant', tileId(this.focusIndex));
    else this.element.removeAttribute('aria-activedescendant');
  }

  private renderTile(row: HTMLElement, index: number, column: number): void {
    let tile = row.children[column] as HTMLElement | undefined;
    if (index >= this.total) {
      tile?.remove();
      return;
    }
    const item = this.source.itemAt(index);
    const signature = item ? `${item.relPath}|${item.label}|${item.skipped}|${item.thumbUri}|${item.problem}|${item.tag}|${suggestionText(item)}|${item.group?.id}` : 'loading';
    if (!tile || this.tileSignatures.get(index) !== signature) {
      const fresh = buildTile(index, column, item);
      fresh.addEventListener('click', (event) => this.focus(index, event.shiftKey ? 'extend' : event.ctrlKey || event.metaKey ? 'toggle' : 'move'));
      fresh.addEventListener('dblclick', () => this.events.activate(index));
      if (tile) tile.replaceWith(fresh);
      else row.append(fresh);
      tile = fresh;
      this.tileSignatures.set(index, signature);
    }
    tile.classList.toggle('focused', index === this.focusIndex);
    tile.classList.toggle('selected', this.selected.has(index));
    tile.setAttribute('aria-selected', String(this.selected.has(index)));
  }
}

export function tileId(index: number): string {
  return `tile-${index}`;
}

function buildTile(index: number, column: number, item: ReviewItemView | undefined): HTMLElement {
  const tile = el('div', { class: 'tile', role: 'gridcell', id: tileId(index), 'aria-colindex': String(column + 1) });
  if (!item) {
    tile.classList.add('loading');
    tile.setAttribute('aria-label', 'Loading');
    tile.append(el('div', { class: 'thumb placeholder' }));
    return tile;
  }
  const name = item.relPath.split('/').pop() ?? item.relPath;
  tile.title = item.relPath;
  tile.setAttribute('aria-label', `${name}, ${item.label ? `labelled ${item.label}` : 'unlabelled'}${item.skipped ? ', skipped' : ''}${item.rank !== undefined ? `, rank ${item.rank}` : ''}`);
  const frame = el('div', { class: 'thumb' });
  if (item.thumbUri) frame.append(el('img', { src: item.thumbUri, alt: '', draggable: 'false' }));
  else frame.append(el('span', { class: 'problem' }, item.problem ?? 'No preview'));
  if (item.rank !== undefined) frame.append(el('span', { class: 'badge rank' }, `#${item.rank}`));
  if (item.skipped) frame.append(el('span', { class: 'badge skipped' }, 'skipped'));
  else if (item.group) frame.append(el('span', { class: 'badge group', title: `${item.group.title}: ${item.group.size} images` }, `${item.group.title} · ${item.group.size}`));
  else if (item.tag) frame.append(el('span', { class: 'badge tag', title: item.tag }, item.tag));
  tile.append(frame);
  const caption = el('div', { class: 'caption' });
  caption.append(el('span', { class: item.label ? 'chip label' : 'chip unlabelled' }, item.label ?? 'unlabelled'));
  if (item.score !== undefined) caption.append(el('span', { class: 'score', title: 'Score' }, fmtValue(item.score)));
  tile.append(caption, suggestionChips(item), el('div', { class: 'name' }, name));
  return tile;
}

/** The top suggestions as chips with their probabilities; the number keys accept them in this order. */
function suggestionChips(item: ReviewItemView): HTMLElement {
  const row = el('div', { class: 'suggestions', 'aria-label': 'Suggested classes' });
  if (item.unknownClass) {
    // First, because it is the likeliest answer: none of the labelled classes.
    const p = item.pNewClass;
    row.append(el('span', { class: 'chip new-class', title: `Most likely of a class that has no labels yet${p !== undefined ? ` (p = ${p.toFixed(3)})` : ''}: Accept sure leaves it alone` }, 'new class?'));
  }
  for (const [position, suggestion] of (item.suggestions ?? []).slice(0, TILE_SUGGESTIONS).entries()) {
    const chip = el('span', { class: 'chip suggestion', title: `${position + 1}: ${suggestion.label}, p = ${suggestion.p.toFixed(3)}` });
    chip.append(el('span', { class: 'suggestion-label' }, suggestion.label), document.createTextNode(` ${percent(suggestion.p)}`));
    row.append(chip);
  }
  return row;
}

const TILE_SUGGESTIONS = 3;

function suggestionText(item: ReviewItemView): string {
  return (item.suggestions ?? []).map((s) => `${s.label}:${s.p}`).join(',');
}

export function percent(p: number): string {
  return p >= 0.995 ? '99%' : p < 0.01 ? '<1%' : `${Math.round(p * 100)}%`;
}
