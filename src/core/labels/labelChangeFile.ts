// Reads label changes for `curator label --from`: a CSV with "path" and "label" columns (other
// columns are ignored, so the review panel's CSV export can be edited and applied) or JSON Lines of
// { "path": ..., "label": ... }. An empty or null label makes the image unlabelled. Paths are
// relative to the dataset root. The same parsers as labels.csv / labels.jsonl, so a bad row is
// reported with its line and skipped, never fatal.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseCsvManifest, parseJsonlManifest } from '../dataset/manifest';
import type { LabelChange } from './types';

export interface LabelChangeFile {
  changes: LabelChange[];
  /** One sentence per row that was skipped, with its line. */
  problems: string[];
}

export async function readLabelChangeFile(path: string): Promise<LabelChangeFile> {
  const extension = extname(path).toLowerCase();
  if (extension !== '.csv' && extension !== '.jsonl') throw new Error(`${path}: label changes are read from a .csv (path,label columns) or a .jsonl file.`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Could not read ${path}: ${(error as Error).message}`);
  }
  const parsed = extension === '.csv' ? parseCsvManifest(text) : parseJsonlManifest(text);
  const fatal = parsed.problems.find((problem) => problem.kind === 'manifest-missing-column');
  if (fatal) throw new Error(`${path}: ${fatal.message}`);
  return {
    changes: parsed.rows.map((row) => ({ relPath: row.relPath, label: row.label })),
    problems: parsed.problems.map((problem) => `${path}: ${problem.message}`),
  };
}
