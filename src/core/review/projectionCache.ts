// The embedding map of a root, computed once and cached in <cacheDir>/review/projection-<model>.json.
// The cache is valid while the set of embedded contents is the same (a fingerprint of the sorted
// hashes); labelling or moving files does not change it, embedding new images does.

import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddingStore } from '../cache/embeddingStore';
import { throwIfAborted } from '../util/concurrency';
import { writeFileAtomic } from '../util/atomicWrite';
import { EMBEDDING_KIND } from './embeddingAccess';
import { fitPca2, normaliseToUnitSquare, projectRows } from './projection';

/** Rows used to fit the axes; every row is then projected. Enough for two stable components. */
const FIT_SAMPLE = 4000;
const READ_CHUNK = 2048;

export interface CachedProjection {
  fingerprint: string;
  hashes: string[];
  xs: number[];
  ys: number[];
  explained: [number, number];
}

export function projectionFile(cacheDir: string, modelId: string): string {
  return join(cacheDir, 'review', `projection-${modelId}.json`);
}

export function fingerprintOf(modelId: string, sortedHashes: readonly string[]): string {
  const hash = createHash('sha256').update(modelId);
  for (const h of sortedHashes) hash.update(h);
  return hash.digest('hex');
}

/** The map for `hashes` (every embedded content), from the cache when it is still valid. */
export async function loadOrComputeProjection(
  cacheDir: string,
  store: EmbeddingStore,
  hashes: readonly string[],
  signal?: AbortSignal,
): Promise<{ projection: CachedProjection; fromCache: boolean }> {
  const sorted = [...hashes].sort();
  const fingerprint = fingerprintOf(store.modelId, sorted);
  const file = projectionFile(cacheDir, store.modelId);
  const cached = await readCached(file);
  if (cached?.fingerprint === fingerprint) return { projection: cached, fromCache: true };

  const step = Math.max(1, Math.ceil(sorted.length / FIT_SAMPLE));
  const sample = sorted.filter((_, index) => index % step === 0);
  const sampleRows = await store.readMatrix(sample, EMBEDDING_KIND);
  const width = sample.length > 0 ? sampleRows.length / sample.length : 0;
  const pca = fitPca2(sampleRows, width);
  const points = new Float64Array(sorted.length * 2);
  for (let start = 0; start < sorted.length; start += READ_CHUNK) {
    throwIfAborted(signal);
    const chunk = sorted.slice(start, start + READ_CHUNK);
    points.set(projectRows(await store.readMatrix(chunk, EMBEDDING_KIND), width, pca), start * 2);
  }
  const { xs, ys } = normaliseToUnitSquare(points);
  const projection: CachedProjection = { fingerprint, hashes: sorted, xs, ys, explained: pca.explained };
  await mkdir(join(file, '..'), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(projection));
  return { projection, fromCache: false };
}

async function readCached(file: string): Promise<CachedProjection | undefined> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as CachedProjection;
    const valid =
      typeof raw.fingerprint === 'string' &&
      Array.isArray(raw.hashes) &&
      Array.isArray(raw.xs) &&
      Array.isArray(raw.ys) &&
      raw.xs.length === raw.hashes.length &&
      raw.ys.length === raw.hashes.length;
    return valid ? raw : undefined;
  } catch {
    return undefined;
  }
}
