// Reads a saved selection (`<cache>/selections/*.json`) defensively: it may be a whole selection
// result (`{ items: [...] }`) or a bare list, written by an older or newer version. Items without
// a usable path are reported, not fatal; a selection in a newer layout is refused.
import { checkSelectionVersion } from '../results/selectionFiles';
import type { ExportItem } from './selectionList';

export interface SelectionFileContent {
  items: ExportItem[];
  /** One message per entry that was left out. */
  problems: string[];
}

/** Throws UnknownFormatVersionError for a selection whose format version this version does not know; `file` names it in the message. */
export function readSelectionItems(json: unknown, file = 'The selection'): SelectionFileContent {
  checkSelectionVersion(json, file);
  const list = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.items) ? json.items : undefined;
  if (!list) return { items: [], problems: ['the file holds neither a list of items nor an object with "items"'] };
  const items: ExportItem[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, index) => {
    const path = isObject(entry) ? (entry.path ?? entry.relPath) : undefined;
    if (!isObject(entry) || typeof path !== 'string' || path === '') {
      problems.push(`item ${index + 1} has no "path"; it is left out`);
      return;
    }
    const { path: _path, relPath: _relPath, rank, score, label, ...extra } = entry;
    items.push({
      ...extra,
      relPath: path,
      rank: typeof rank === 'number' && Number.isFinite(rank) ? rank : undefined,
      score: typeof score === 'number' && Number.isFinite(score) ? score : undefined,
      label: typeof label === 'string' || label === null ? label : undefined,
    });
  });
  return { items, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
