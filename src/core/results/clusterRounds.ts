// Every round of Group Unlabelled Images, <cacheDir>/clusters/round-NNNN.json: which cluster each
// image (by content hash) was in, so the next round can keep the ids. Written in the result files'
// envelope (suggestionFiles.ts), so they share its format version.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readResultFile, writeResultFile } from './suggestionFiles';

/** <cacheDir>/clusters/: round-0001.json, round-0002.json, ... */
export const CLUSTER_ROUNDS_FOLDER = 'clusters';

export interface StoredRound {
  round: number;
  modelId: string;
  k: number;
  alpha: number;
  seed: number;
  /** Content hash -> cluster id. */
  assignments: Record<string, number>;
}

export async function writeRound(cacheDir: string, round: StoredRound): Promise<void> {
  await writeResultFile(join(cacheDir, CLUSTER_ROUNDS_FOLDER, `round-${String(round.round).padStart(4, '0')}.json`), { ...round, root: '', resultFile: '' });
}

/** The latest round, or undefined before the first; throws UnknownFormatVersionError for a round in a newer layout. */
export async function latestRound(cacheDir: string): Promise<StoredRound | undefined> {
  const folder = join(cacheDir, CLUSTER_ROUNDS_FOLDER);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /^round-\d+\.json$/.test(name)).sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  return (await readResultFile(join(folder, names[names.length - 1]))) as unknown as StoredRound;
}
