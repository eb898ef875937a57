// Small synthetic pools for the selector tests: Gaussian clusters in a few dimensions, shifted to
// be non-negative like ReLU embeddings, with labels for the labelled part.
import { SeededRandom } from '../../../src/core/math/seededRandom';
import type { PatternSets, SelectionPool, VectorRows } from '../../../src/core/select/types';

export function clusteredRows(count: number, width: number, classes: number, seed: number): { rows: VectorRows; labels: Int32Array } {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: width }, () => 3 * random.normal()));
  const data = new Float32Array(count * width);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    for (let k = 0; k < width; k++) data[i * width + k] = Math.max(0, 5 + centres[labels[i]][k] + random.normal());
  }
  return { rows: { data, rows: count, width }, labels };
}

/** Two patterns per item: the item's vector and a noisy copy. */
export function patternsFor(rows: VectorRows, seed: number): PatternSets {
  const random = new SeededRandom(seed);
  const { width } = rows;
  const data = new Float32Array(rows.rows * 2 * width);
  for (let i = 0; i < rows.rows; i++) {
    for (let k = 0; k < width; k++) {
      data[2 * i * width + k] = rows.data[i * width + k];
      data[(2 * i + 1) * width + k] = rows.data[i * width + k] + random.normal();
    }
  }
  return { vectors: { data, rows: rows.rows * 2, width }, offsets: Int32Array.from({ length: rows.rows + 1 }, (_, i) => 2 * i) };
}

export function syntheticPool(options: { unlabelled: number; labelled: number; classes: number; width?: number; seed?: number }): SelectionPool {
  const width = options.width ?? 8;
  const seed = options.seed ?? 7;
  const pool = clusteredRows(options.unlabelled, width, options.classes, seed);
  const labelled = clusteredRows(options.labelled, width, options.classes, seed);
  return {
    unlabelled: pool.rows,
    labelled: labelled.rows,
    labels: labelled.labels,
    classNames: Array.from({ length: options.classes }, (_, c) => `class${c}`),
    unlabelledPatterns: patternsFor(pool.rows, seed + 1),
    labelledPatterns: patternsFor(labelled.rows, seed + 2),
  };
}
