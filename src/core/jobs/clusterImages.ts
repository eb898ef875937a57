// Groups the unlabelled images of a root into clusters with ids that stay stable across runs
// (SLR refinement against the previous round, METHODS.md section 3). Every round is kept in
// <cacheDir>/clusters/round-NNNN.json (keyed by content hash, so renames do not matter); a run on an
// unchanged dataset returns the latest round as it is unless a new round is asked for.
import { join } from 'node:path';
import { ClusterRefiner, DEFAULT_ALPHA, summariseFixed, type ClusterSummary, type RoundAssignment } from '../cluster/clusterRefiner';
import type { ModelSource } from '../embed/types';
import { pickRows } from '../math/vectorRows';
import { loadEmbeddedPool } from '../pool/embeddedPool';
import { notEmbeddedNote } from '../pool/rootPool';
import { throwIfAborted } from '../util/concurrency';
import { latestRound, writeRound, type StoredRound } from '../results/clusterRounds';
import { CLUSTERS_FILE, SUGGESTIONS_FOLDER, writeResultFile } from '../results/suggestionFiles';

export interface ClusterImagesParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
  model: ModelSource;
  /** Number of clusters; default: about sqrt(n / 2), at least 2. */
  k?: number;
  alpha?: number;
  seed?: number;
  /** Re-cluster even when the images and model are those of the latest round. */
  newRound?: boolean;
}

export interface ClusterMember {
  path: string;
  /** Cosine similarity of its soft label to its cluster's mean soft label. */
  membership: number;
}

export interface ClusterGroup extends ClusterSummary {
  members: ClusterMember[];
}

export interface ClusterImagesResult {
  root: string;
  modelId: string;
  round: number;
  /** Whether the round refined a previous one (false for the first round). */
  refined: boolean;
  /** Images of this round that were also in the previous round. */
  shared: number;
  k: number;
  alpha: number;
  clusters: ClusterGroup[];
  notes: string[];
  seconds: number;
  resultFile: string;
}

export async function clusterImages(params: ClusterImagesParams, signal?: AbortSignal): Promise<ClusterImagesResult> {
  const started = performance.now();
  const pool = await loadEmbeddedPool(params, signal);
  throwIfAborted(signal);
  // Identical files are one image for clustering; every path is listed as a member.
  const pathsByHash = new Map<string, string[]>();
  const rowOfHash = new Map<string, number>();
  pool.items.forEach((item, row) => {
    if (item.label !== null) return;
    if (!rowOfHash.has(item.hash)) rowOfHash.set(item.hash, row);
    pathsByHash.set(item.hash, [...(pathsByHash.get(item.hash) ?? []), item.path]);
  });
  const keys = [...rowOfHash.keys()];
  if (keys.length < 2) throw new Error(`Only ${keys.length} unlabelled image(s) with a cached embedding in ${params.root}: nothing to group (run \`curator embed\` first if images are missing).`);
  const k = Math.max(2, Math.min(keys.length, Math.round(params.k ?? Math.sqrt(keys.length / 2))));
  const alpha = params.alpha ?? DEFAULT_ALPHA;
  const seed = params.seed ?? 0;

  const latest = await latestRound(params.cacheDir);
  const usable = latest && latest.modelId === pool.modelId ? latest : undefined;
  const unchanged = usable && !params.newRound && params.k === undefined ? sameKeys(usable, keys) : false;
  const previous: RoundAssignment | null = usable ? { keys: Object.keys(usable.assignments), ids: Int32Array.from(Object.values(usable.assignments)) } : null;
  const notes = notEmbeddedNote(pool);
  if (latest && !usable) notes.push(`The previous round used model ${latest.modelId}; this round starts afresh with ${pool.modelId}.`);

  const features = pickRows(pool.features, keys.map((key) => rowOfHash.get(key)!));
  const refiner = new ClusterRefiner();
  const round = unchanged ? usable!.round : (latest?.round ?? 0) + 1;
  const refinedRound = unchanged
    ? // Same images, same model: re-derive the summaries against the stored round itself, so ids do not move.
      summariseFixed(keys, features, Int32Array.from(keys, (key) => usable!.assignments[key]))
    : refiner.refine(keys, features, previous, { k, seed: seed + round, alpha, signal });
  if (!unchanged) {
    const stored: StoredRound = { round, modelId: pool.modelId, k, alpha, seed: seed + round, assignments: Object.fromEntries(keys.map((key, i) => [key, refinedRound.ids[i]])) };
    await writeRound(params.cacheDir, stored);
  }
  const clusters: ClusterGroup[] = refinedRound.clusters.map((summary) => ({
    ...summary,
    members: keys
      .map((key, i) => ({ key, i }))
      .filter(({ i }) => refinedRound.ids[i] === summary.id)
      .flatMap(({ key, i }) => pathsByHash.get(key)!.map((path) => ({ path, membership: Number(refinedRound.membership[i].toPrecision(6)) }))),
  }));
  const resultFile = join(params.cacheDir, SUGGESTIONS_FOLDER, CLUSTERS_FILE);
  const result: ClusterImagesResult = {
    root: params.root,
    modelId: pool.modelId,
    round,
    refined: !unchanged && refinedRound.shared > 0,
    shared: refinedRound.shared,
    k: unchanged ? usable!.k : k,
    alpha,
    clusters,
    notes,
    seconds: (performance.now() - started) / 1000,
    resultFile,
  };
  await writeResultFile(resultFile, result);
  return result;
}

function sameKeys(round: StoredRound, keys: string[]): boolean {
  return keys.length === Object.keys(round.assignments).length && keys.every((key) => key in round.assignments);
}
