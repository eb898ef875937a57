// Row-wise helpers on VectorRows. These touch every element once (O(rows x width)), which is cheap
// next to the distance and dense kernels; anything quadratic goes through MatrixKernels.
import type { VectorRows } from './types';

/** Column means over all the given blocks together. */
export function columnMean(blocks: readonly VectorRows[], width: number): Float64Array {
  const mean = new Float64Array(width);
  let count = 0;
  for (const block of blocks) {
    for (let r = 0; r < block.rows; r++) {
      const base = r * width;
      for (let k = 0; k < width; k++) mean[k] += block.data[base + k];
    }
    count += block.rows;
  }
  if (count > 0) for (let k = 0; k < width; k++) mean[k] /= count;
  return mean;
}

/**
 * A copy with `mean` subtracted and each row scaled to unit length. ReLU embeddings are all
 * non-negative, so raw cosines crowd near 1; centring spreads them out. A row that is zero after
 * centring stays zero (distance 1 to everything).
 */
export function centredUnitRows(rows: VectorRows, mean: Float64Array): VectorRows {
  const { width } = rows;
  const data = new Float32Array(rows.rows * width);
  for (let r = 0; r < rows.rows; r++) {
    const base = r * width;
    let norm = 0;
    for (let k = 0; k < width; k++) {
      const v = rows.data[base + k] - mean[k];
      data[base + k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < width; k++) data[base + k] *= scale;
  }
  return { data, rows: rows.rows, width };
}

export function dot(a: Float32Array, aStart: number, b: Float32Array, bStart: number, width: number): number {
  let sum = 0;
  for (let k = 0; k < width; k++) sum += a[aStart + k] * b[bStart + k];
  return sum;
}
