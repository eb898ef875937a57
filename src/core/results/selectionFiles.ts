// Saved selections, <cacheDir>/selections/<method>[-farthest]-<time>.json: a Select Samples result
// after `formatVersion`, with a Markdown copy beside it (report/savedSelections.ts writes both).
// The review panel (review/selectionFile.ts) and Export Selection (export/selectionFile.ts) read
// them; Export Selection also takes a bare list of items, which has no version.
import { join } from 'node:path';
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
