// Pages of a view: the webview asks for (offset, count) and never gets more than MAX_PAGE_SIZE items,
// whatever it asks for, so one message can never make the engine decode thousands of thumbnails.

export const MAX_PAGE_SIZE = 200;

/** The half-open range [start, end) of a list of `total` items that a request for (offset, count) gets. */
export function pageRange(total: number, offset: number, count: number): { start: number; end: number } {
  const safeTotal = Math.max(0, Math.floor(total));
  const start = Math.min(safeTotal, Math.max(0, Math.floor(Number.isFinite(offset) ? offset : 0)));
  const size = Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(Number.isFinite(count) ? count : 0)));
  return { start, end: Math.min(safeTotal, start + size) };
}
