// Which way a dataset root stores labels. The rule matches the scanner's: a labels.csv or
// labels.jsonl at the root makes it a manifest dataset (the CSV wins when both exist), otherwise
// the class is the first folder under the root.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE_NAMES } from '../dataset/manifestFile';
import type { ManifestKind } from '../dataset/types';

export type LabelStorage = { mode: 'folder' } | { mode: 'manifest'; kind: ManifestKind; manifestPath: string };

export async function detectLabelStorage(root: string): Promise<LabelStorage> {
  for (const kind of ['csv', 'jsonl'] as const) {
    const manifestPath = join(root, MANIFEST_FILE_NAMES[kind]);
    if (await isFile(manifestPath)) return { mode: 'manifest', kind, manifestPath };
  }
  return { mode: 'folder' };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
