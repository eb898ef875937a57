// Near-duplicates: distinct files whose embeddings point the same way. The distance is the plain
// cosine distance 1 - cos(f(a), f(b)) of the raw embeddings, not of centred ones: centring depends
// on the rest of the dataset, and a threshold must mean the same thing on every dataset.
// Pairs closer than the threshold are linked and linked images form a group (single linkage), so
// a group can hold a chain of small edits. Cost: all pairs, n^2 d / 2 multiply-adds.
import type { VectorRows } from '../math/vectorRows';
import { DisjointSets } from './disjointSets';

/**
 * Default threshold on the raw cosine distance, set under the closest pair of distinct images
 * measured with the bundled model: among the 500 distinct MNIST digits of `npm run demo`'s sample,
 * no pair is at or under 0.005, the closest is 0.0066, 12 pairs are under 0.01 and 218 under 0.02.
 * Handwritten digits all look alike, so this is a strict setting; how far re-encoded or resized
 * copies land has not been measured yet.
 */
export const DEFAULT_NEAR_DUPLICATE_DISTANCE = 0.004;

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
