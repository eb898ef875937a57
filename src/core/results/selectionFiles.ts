// Saved selections, <cacheDir>/selections/<method>[-farthest]-<time>.json: a Select Samples result
// after `formatVersion`, with a Markdown copy beside it (report/savedSelections.ts writes both).
// The review panel reads them (review/selectionFile.ts), and Export Selection through
// readSelectionItems below, which also takes a bare list of items (no version) made by hand.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportItem } from '../export/selectionList';
import { writeFileAtomic } from '../util/atomicWrite';
import { jsonFilesNewestFirst } from '../util/jsonFiles';
import { checkFormatVersion, isRecord } from './formatVersion';

/** <cacheDir>/selections/: one <method>-<time>.json per selection, with a Markdown copy beside it. */
export const SELECTIONS_FOLDER = 'selections';

/** Raised when a selection file's layout changes in a way an older reader would misread. */
export const SELECTION_FORMAT_VERSION = 1;

/** Written atomically: an open review panel reloads on new files and must never read half of one. */
export async function writeSelectionFile(file: string, selection: object): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ formatVersion: SELECTION_FORMAT_VERSION, ...selection }, null, 2) + '\n');
}

/** The most recently written selection file of a cache, by modification time; undefined when there is none. */
export async function newestSelectionFile(cacheDir: string): Promise<string | undefined> {
  return (await jsonFilesNewestFirst(join(cacheDir, SELECTIONS_FOLDER)))[0];
}

/** Throws UnknownFormatVersionError for a selection in a layout this version does not know. */
export function checkSelectionVersion(json: unknown, file: string): void {
  if (isRecord(json)) checkFormatVersion(json, SELECTION_FORMAT_VERSION, file);
}

// Export Selection reads a saved selection defensively: it may be a whole selection result
// (`{ items: [...] }`) or a bare list, written by an older version. Items without a usable path are
// reported, not fatal; a selection in a newer layout is refused.

export interface SelectionFileContent {
  items: ExportItem[];
  /** One message per entry that was left out. */
  problems: string[];
}

/** A selection file's items for export; a file that cannot be read or is not JSON throws, naming it. */
export async function loadSelectionItems(file: string): Promise<SelectionFileContent> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Could not read the selection ${file}: ${(error as Error).message}`);
  }
  return readSelectionItems(json, file);
}

/** Throws UnknownFormatVersionError for a selection whose format version this version does not know; `file` names it in the message. */
export function readSelectionItems(json: unknown, file = 'The selection'): SelectionFileContent {
  checkSelectionVersion(json, file);
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.items) ? json.items : undefined;
  if (!list) return { items: [], problems: ['the file holds neither a list of items nor an object with "items"'] };
  const items: ExportItem[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, index) => {
    const path = isRecord(entry) ? (entry.path ?? entry.relPath) : undefined;
    if (!isRecord(entry) || typeof path !== 'string' || path === '') {
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
