// Near-duplicates: distinct files whose embeddings point the same way. The distance is the plain
// cosine distance 1 - cos(f(a), f(b)) of the raw embeddings, not of centred ones: centring depends
// on the rest of the dataset, and a threshold must mean the same thing on every dataset.
// Pairs closer than the threshold are linked and linked images form a group (single linkage), so
// a group can hold a chain of small edits. Cost: all pairs, n^2 d / 2 multiply-adds.
import type { VectorRows } from '../math/vectorRows';
import { DisjointSets } from './disjointSets';

/**
 * Default threshold on the raw cosine distance, measured with the bundled model
 * (bench/results/suggest.md): the largest tested value that links at most 1 in 10,000 pairs of
 * distinct MNIST digits (363 of 8 million at 0.01, 8,645 at 0.02) and no pair of distinct photos.
 * What it catches is limited: photos resized up (all) or down to 50% (half); it misses JPEG
 * re-encodes and 90% crops of photos (their median distances are 0.04 and 0.03) and nearly every
 * edited copy of a 28 px digit, whose JPEG artefacts, magnified to the model's 224 px input, move
 * it as far as a different digit. Raise it (--threshold) for photo collections.
 */
export const DEFAULT_NEAR_DUPLICATE_DISTANCE = 0.01;

export interface NearPair {
  a: number;
  b: number;
  distance: number;
}

export interface NearDuplicateGroups {
  /** Each group: row indices, ascending. */
  groups: number[][];
  /** Every linked pair (a < b), closest first. */
  pairs: NearPair[];
}

export function findNearDuplicates(rows: VectorRows, threshold = DEFAULT_NEAR_DUPLICATE_DISTANCE, signal?: AbortSignal): NearDuplicateGroups {
  const { width } = rows;
  const unit = new Float32Array(rows.data.length);
  for (let r = 0; r < rows.rows; r++) {
    let norm = 0;
    for (let k = 0; k < width; k++) norm += rows.data[r * width + k] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < width; k++) unit[r * width + k] = rows.data[r * width + k] * scale;
  }
  const sets = new DisjointSets(rows.rows);
  const pairs: NearPair[] = [];
  for (let a = 0; a < rows.rows; a++) {
    if (a % 128 === 0 && signal?.aborted) throw signal.reason ?? new Error('aborted');
    const aBase = a * width;
    for (let b = a + 1; b < rows.rows; b++) {
      const bBase = b * width;
      let dot = 0;
      for (let k = 0; k < width; k++) dot += unit[aBase + k] * unit[bBase + k];
      const distance = Math.max(0, 1 - dot);
      if (distance <= threshold) {
        pairs.push({ a, b, distance });
        sets.union(a, b);
      }
    }
  }
  pairs.sort((x, y) => x.distance - y.distance || x.a - y.a || x.b - y.b);
  return { groups: sets.groups(2), pairs };
}
