// Projection of rows onto their top principal directions, for selection methods whose cost grows
// with the width (k-means with a thousand centres, the delta-ball graph) on large pools.
// The covariance comes from a seeded sample of rows (one blocked product through MatrixKernels);
// its top directions from subspace iteration (repeated C Q and Gram-Schmidt), which needs only
// matrix products; the projected rows are scaled back to unit length, so that distances between
// them stay cosine distances. The rows are read block by block (RowSource), so a caller can hand
// over rows it computes on demand instead of a full-width copy of the pool.
import type { MatrixKernels } from './matrixKernels';
import { throwIfAborted } from '../util/concurrency';
import { SeededRandom } from './seededRandom';
import type { RowSource, VectorRows } from './vectorRows';

const COVARIANCE_SAMPLE = 10_000;
const SUBSPACE_ITERATIONS = 8;
const PROJECT_BLOCK_ROWS = 8192;

/**
 * `unitLength: false` keeps each row's length in the subspace (for a caller that rescales the
 * directions first and normalises after, as whitening does).
 */
export async function projectOntoPrincipalSubspace(rows: RowSource, dims: number, kernels: MatrixKernels, seed: number, signal?: AbortSignal, unitLength = true): Promise<VectorRows> {
  const { width } = rows;
  const n = rows.rows;
  dims = Math.min(dims, width);
  const random = new SeededRandom(seed);
  const sample = n <= COVARIANCE_SAMPLE ? Array.from({ length: n }, (_, i) => i) : random.permutation(n).slice(0, COVARIANCE_SAMPLE);
  const m = sample.length;
  const sampled = new Float32Array(m * width);
  sample.forEach((r, i) => rows.read(r, sampled, i * width));
  const mean = new Float64Array(width);
  for (let i = 0; i < m; i++) for (let d = 0; d < width; d++) mean[d] += sampled[i * width + d] / m;
  // Sample rows minus their mean, as [width, m] (transposed) and [m, width].
  const transposed = new Float32Array(width * m);
  const centred = sampled;
  for (let i = 0; i < m; i++) {
    for (let d = 0; d < width; d++) {
      const v = sampled[i * width + d] - mean[d];
      centred[i * width + d] = v;
      transposed[d * m + i] = v;
    }
  }
  const covariance = await kernels.gemm(transposed, width, m, centred, width, new Float32Array(width));
  throwIfAborted(signal);

  let basis: Float32Array = new Float32Array(width * dims);
  for (let i = 0; i < basis.length; i++) basis[i] = random.normal();
  orthonormaliseColumns(basis, width, dims);
  for (let iteration = 0; iteration < SUBSPACE_ITERATIONS; iteration++) {
    basis = await kernels.gemm(covariance, width, width, basis, dims, new Float32Array(dims));
    orthonormaliseColumns(basis, width, dims);
  }
  throwIfAborted(signal);

  // Projection of (row - mean): the mean's projection goes into the bias.
  const bias = new Float32Array(dims);
  for (let j = 0; j < dims; j++) {
    let s = 0;
    for (let d = 0; d < width; d++) s += mean[d] * basis[d * dims + j];
    bias[j] = -s;
  }
  const out = new Float32Array(n * dims);
  const block = new Float32Array(Math.min(PROJECT_BLOCK_ROWS, n) * width);
  for (let start = 0; start < n; start += PROJECT_BLOCK_ROWS) {
    const count = Math.min(PROJECT_BLOCK_ROWS, n - start);
    for (let i = 0; i < count; i++) rows.read(start + i, block, i * width);
    await kernels.gemm(block, count, width, basis, dims, bias, out.subarray(start * dims, (start + count) * dims));
    throwIfAborted(signal);
  }
  for (let i = 0; i < n && unitLength; i++) {
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += out[i * dims + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dims; j++) out[i * dims + j] *= scale;
  }
  return { data: out, rows: n, width: dims };
}

/**
 * Modified Gram-Schmidt on the columns of a row-major [rows, cols] matrix. The columns are copied
 * out as contiguous rows first (the same arithmetic in the same order, but reading memory in
 * sequence instead of one float every `cols`).
 */
function orthonormaliseColumns(matrix: Float32Array, rows: number, cols: number): void {
  const columns = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) columns[j * rows + r] = matrix[r * cols + j];
  for (let j = 0; j < cols; j++) {
    const cj = j * rows;
    for (let p = 0; p < j; p++) {
      const cp = p * rows;
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += columns[cj + r] * columns[cp + r];
      for (let r = 0; r < rows; r++) columns[cj + r] -= dot * columns[cp + r];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += columns[cj + r] ** 2;
    const scale = norm > 1e-12 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < rows; r++) columns[cj + r] *= scale;
  }
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) matrix[r * cols + j] = columns[j * rows + r];
}
