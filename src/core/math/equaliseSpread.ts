// Label-free whitening of rows already expressed in their principal directions (principalSubspace.ts):
// each column is divided by the square root of its variance plus a shrinkage share of the mean
// variance, then every row is scaled back to unit length. A few directions of large variance
// (lighting, background, image statistics) carry most of a frozen encoder's spread whether or not
// they tell classes apart; equalising them lets the many smaller, class-bearing directions count
// in a cosine. The shrinkage keeps near-empty directions from being blown up into noise.
import type { VectorRows } from './vectorRows';

/** A new [rows, width] array: columns equalised, rows unit length. */
export function equaliseSpread(rows: VectorRows, shrinkage: number): VectorRows {
  const { width } = rows;
  const n = rows.rows;
  const variance = columnVariances(rows);
  const meanVariance = variance.reduce((a, b) => a + b, 0) / Math.max(1, width);
  const scale = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + shrinkage * meanVariance + 1e-12));
  const out = new Float32Array(n * width);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let d = 0; d < width; d++) {
      const v = rows.data[r * width + d] * scale[d];
      out[r * width + d] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < width; d++) out[r * width + d] *= inv;
  }
  return { data: out, rows: n, width };
}

/**
 * Participation ratio of the columns' variances, (sum v)^2 / sum v^2: how many directions the
 * spread is effectively shared among (the column count when all are equal, 1 when one holds all).
 */
export function effectiveRank(rows: VectorRows): number {
  const variance = columnVariances(rows);
  const total = variance.reduce((a, b) => a + b, 0);
  const squares = variance.reduce((a, b) => a + b * b, 0);
  return squares > 0 ? (total * total) / squares : 0;
}

/** The sample variance of each column. */
function columnVariances(rows: VectorRows): Float64Array {
  const { width } = rows;
  const n = rows.rows;
  const mean = new Float64Array(width);
  const variance = new Float64Array(width);
  for (let r = 0; r < n; r++) for (let d = 0; d < width; d++) mean[d] += rows.data[r * width + d] / Math.max(1, n);
  for (let r = 0; r < n; r++) for (let d = 0; d < width; d++) variance[d] += (rows.data[r * width + d] - mean[d]) ** 2 / Math.max(1, n - 1);
  return variance;
}
