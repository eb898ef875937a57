// Finds and reads the labels manifest at a dataset root. labels.csv wins over labels.jsonl, and
// having both is reported, because editing the ignored one would silently change nothing.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsvManifest, parseJsonlManifest, type ParsedManifest } from './manifest';
import type { DatasetProblem, ManifestKind } from './types';

export const MANIFEST_FILE_NAMES: Readonly<Record<ManifestKind, string>> = { csv: 'labels.csv', jsonl: 'labels.jsonl' };

export interface ManifestFile {
  /** File name relative to the root ('labels.csv' or 'labels.jsonl'). */
  relPath: string;
  parsed: ParsedManifest;
}

export interface ManifestLookup {
  /** The manifest in force, or null when there is none (or it could not be read). */
  manifest: ManifestFile | null;
  /** Problems with the files and their rows, each with the manifest's relPath. */
  problems: DatasetProblem[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function readDatasetManifest(root: string): Promise<ManifestLookup> {
  const csvName = MANIFEST_FILE_NAMES.csv;
  const jsonlName = MANIFEST_FILE_NAMES.jsonl;
  const [hasCsv, hasJsonl] = await Promise.all([isFile(join(root, csvName)), isFile(join(root, jsonlName))]);
  const problems: DatasetProblem[] = [];
  if (!hasCsv && !hasJsonl) return { manifest: null, problems };
  if (hasCsv && hasJsonl) {
    problems.push({
      relPath: jsonlName,
      kind: 'manifest-conflict',
      severity: 'warning',
      message: `Both ${csvName} and ${jsonlName} exist; labels come from ${csvName} and ${jsonlName} is ignored.`,
    });
  }
  const relPath = hasCsv ? csvName : jsonlName;
  let text: string;
  try {
    text = await readFile(join(root, relPath), 'utf8');
  } catch (error) {
    problems.push({
      relPath,
      kind: 'manifest-unreadable',
      severity: 'error',
      message: `${relPath} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); folder labels are used instead.`,
    });
    return { manifest: null, problems };
  }
  const parsed = hasCsv ? parseCsvManifest(text) : parseJsonlManifest(text);
  for (const issue of parsed.problems) problems.push({ relPath, ...issue });
  return { manifest: { relPath, parsed }, problems };
}
