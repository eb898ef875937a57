// Where selections live once made: `<cache>/selections/<method>-<time>.json` (what the review panel
// and Export Selection read; its format is results/selectionFiles.ts) beside a Markdown copy for
// people. Select Samples in the editor and `curator select` both save here, so a selection made in
// one is reviewed or exported from the other.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SelectSamplesResult } from '../jobs/selectSamples';
import { SELECTIONS_FOLDER, writeSelectionFile } from '../results/selectionFiles';
import { writeFileAtomic } from '../util/atomicWrite';
import { selectionMarkdown } from './selectionMarkdown';

export interface SavedSelection {
  jsonPath: string;
  markdownPath: string;
}

/** Writes the selection's JSON and Markdown atomically: an open review panel reloads on new files and must never read half of one. */
export async function saveSelection(cacheDir: string, result: SelectSamplesResult, createdAt = new Date()): Promise<SavedSelection> {
  const folder = join(cacheDir, SELECTIONS_FOLDER);
  await mkdir(folder, { recursive: true });
  const variant = result.variant === 'farthest-first' ? '-farthest' : '';
  const name = `${result.method}${variant}-${createdAt.toISOString().replace(/[:.]/g, '-')}`;
  const jsonPath = join(folder, `${name}.json`);
  const markdownPath = join(folder, `${name}.md`);
  await writeSelectionFile(jsonPath, result);
  await writeFileAtomic(markdownPath, selectionMarkdown(result, createdAt));
  return { jsonPath, markdownPath };
}
