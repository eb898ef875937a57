// Groups of near-identical images in a root, useful before splitting train/test: exact duplicates
// share a content hash (whether or not they are embedded); near ones are distinct files whose raw
// embeddings are within a cosine distance threshold. Written to <cacheDir>/suggestions/duplicates.json.
import { join } from 'node:path';
import { DEFAULT_NEAR_DUPLICATE_DISTANCE, findNearDuplicates } from '../duplicates/nearDuplicateFinder';
import type { ModelSource } from '../embed/types';
import { pickRows } from '../math/vectorRows';
import { loadEmbeddedPool } from '../pool/embeddedPool';
import { notEmbeddedNote } from '../pool/rootPool';
import { throwIfAborted } from '../util/concurrency';
import { DUPLICATES_FILE, SUGGESTIONS_FOLDER, writeResultFile } from '../results/suggestionFiles';

export interface FindDuplicatesParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  /** Raw cosine distance at or under which two images count as near-duplicates. */
  threshold?: number;
}

export interface DuplicateMember {
  path: string;
  label: string | null;
}

export interface DuplicateGroup {
  kind: 'exact' | 'near';
  /** Near groups: the largest distance among the linked pairs of the group (0 for exact groups). */
  maxDistance: number;
  /** near groups: each entry is one distinct content; identical files are listed together. */
  members: DuplicateMember[][];
  /** Members carry different labels: the same picture is labelled two ways. */
  conflictingLabels: boolean;
}

export interface FindDuplicatesResult {
  root: string;
  modelId: string;
  threshold: number;
  exactGroups: number;
  nearGroups: number;
  groups: DuplicateGroup[];
  notes: string[];
  seconds: number;
  resultFile: string;
}

export async function findDuplicates(params: FindDuplicatesParams, signal?: AbortSignal): Promise<FindDuplicatesResult> {
  const started = performance.now();
  const threshold = params.threshold ?? DEFAULT_NEAR_DUPLICATE_DISTANCE;
  const pool = await loadEmbeddedPool(params, signal);
  throwIfAborted(signal);
  const byHash = new Map<string, DuplicateMember[]>();
  const rowOfHash = new Map<string, number>();
  pool.items.forEach((item, row) => {
    byHash.set(item.hash, [...(byHash.get(item.hash) ?? []), { path: item.path, label: item.label }]);
    if (!rowOfHash.has(item.hash)) rowOfHash.set(item.hash, row);
  });
  const hashes = [...rowOfHash.keys()];
  const near = findNearDuplicates(pickRows(pool.features, hashes.map((h) => rowOfHash.get(h)!)), threshold, signal);
  const inNearGroup = new Set(near.groups.flat());
  const groups: DuplicateGroup[] = [];
  // Exact groups that are not part of a near group stand alone; the others appear inside their near group.
  hashes.forEach((hash, i) => {
    const members = byHash.get(hash)!;
    if (members.length > 1 && !inNearGroup.has(i)) groups.push({ kind: 'exact', maxDistance: 0, members: [members], conflictingLabels: conflicting(members) });
  });
  for (const group of near.groups) {
    const set = new Set(group);
    const maxDistance = near.pairs.filter((p) => set.has(p.a) && set.has(p.b)).reduce((m, p) => Math.max(m, p.distance), 0);
    const members = group.map((i) => byHash.get(hashes[i])!);
    groups.push({ kind: 'near', maxDistance: Number(maxDistance.toPrecision(6)), members, conflictingLabels: conflicting(members.flat()) });
  }
  const resultFile = join(params.cacheDir, SUGGESTIONS_FOLDER, DUPLICATES_FILE);
  const result: FindDuplicatesResult = {
    root: params.root,
    modelId: pool.modelId,
    threshold,
    exactGroups: groups.filter((g) => g.kind === 'exact').length,
    nearGroups: groups.filter((g) => g.kind === 'near').length,
    groups,
    notes: notEmbeddedNote(pool),
    seconds: (performance.now() - started) / 1000,
    resultFile,
  };
  await writeResultFile(resultFile, result);
  return result;
}

function conflicting(members: DuplicateMember[]): boolean {
  return new Set(members.map((m) => m.label).filter((l) => l !== null)).size > 1;
}
