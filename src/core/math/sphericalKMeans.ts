// Spherical k-means on unit rows (cosine similarity), seeded k-means++ initialisation, Lloyd
// iterations until no assignment changes. Used to group unlabelled images into clusters.
import { SeededRandom } from './seededRandom';
import type { VectorRows } from './vectorRows';

export interface KMeansResult {
  assignment: Int32Array;
  /** k unit centroids, [k, width]. */
  centroids: Float32Array;
  k: number;
  iterations: number;
}

export function sphericalKMeans(rows: VectorRows, k: number, seed: number, maxIterations = 50, signal?: AbortSignal): KMeansResult {
  const { width } = rows;
  const n = rows.rows;
  k = Math.max(1, Math.min(k, n));
  const random = new SeededRandom(seed);
  const centroids = new Float32Array(k * width);
  const similarity = (row: number, c: number): number => {
    let sum = 0;
    for (let d = 0; d < width; d++) sum += rows.data[row * width + d] * centroids[c * width + d];
    return sum;
  };
  // k-means++: each next centre drawn with probability proportional to its squared distance
  // (2 - 2 cos for unit vectors) to the nearest centre so far.
  const first = random.int(n);
  centroids.set(rows.data.subarray(first * width, (first + 1) * width), 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], Math.max(0, 2 - 2 * similarity(i, c - 1)));
      total += nearest[i];
    }
    let pick = random.next() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      pick -= nearest[i];
      if (pick <= 0) {
        chosen = i;
        break;
      }
    }
    centroids.set(rows.data.subarray(chosen * width, (chosen + 1) * width), c * width);
  }
  const assignment = new Int32Array(n).fill(-1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestSimilarity = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = similarity(i, c);
        if (s > bestSimilarity) {
          bestSimilarity = s;
          best = c;
        }
      }
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    const sums = new Float64Array(k * width);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[assignment[i]]++;
      for (let d = 0; d < width; d++) sums[assignment[i] * width + d] += rows.data[i * width + d];
    }
    for (let c = 0; c < k; c++) {
      // An emptied cluster keeps its old centre; it may win members back next iteration.
      if (counts[c] === 0) continue;
      let norm = 0;
      for (let d = 0; d < width; d++) norm += sums[c * width + d] ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < width; d++) centroids[c * width + d] = sums[c * width + d] * scale;
    }
  }
  return { assignment, centroids, k, iterations };
}
