// A ranked list of images as CSV (RFC 4180, `rank,path,score,label,...`) or JSON, for exporting
// a selection to other tools. Columns beyond the four fixed ones are the items' other fields, in
// the order they first appear.
import { csvRow } from './csv';

/** One exported image: its place in the list and whatever the selection said about it. */
export interface ExportItem {
  /** Relative to the dataset root; forward or back slashes. */
  relPath: string;
  rank?: number;
  score?: number;
  label?: string | null;
  /** Other fields (reasons, duplicates...) are carried into CSV and JSON lists. */
  [field: string]: unknown;
}

/** An item as written to a list: path normalised and rank filled in. */
export interface ListedItem {
  rank: number;
  path: string;
  score?: number;
  label?: string | null;
  extra: Record<string, unknown>;
}

const FIXED_COLUMNS = ['rank', 'path', 'score', 'label'];

export function selectionCsv(items: readonly ListedItem[]): string {
  const extraColumns: string[] = [];
  for (const item of items) for (const key of Object.keys(item.extra)) if (!extraColumns.includes(key)) extraColumns.push(key);
  let text = csvRow([...FIXED_COLUMNS, ...extraColumns]);
  for (const item of items) {
    text += csvRow([String(item.rank), item.path, item.score === undefined ? '' : String(item.score), item.label ?? '', ...extraColumns.map((column) => cell(item.extra[column]))]);
  }
  return text;
}

export function selectionJson(items: readonly ListedItem[]): string {
  const list = items.map((item) => ({ rank: item.rank, path: item.path, score: item.score ?? null, label: item.label ?? null, ...item.extra }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** Lists become `a;b`, objects JSON, missing values empty. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value) && value.every((entry) => typeof entry !== 'object')) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
