// Projection of rows onto their top principal directions, for selection methods whose cost grows
// with the width (k-means with a thousand centres, the delta-ball graph) on large pools.
// The covariance comes from a seeded sample of rows (one blocked product through MatrixKernels);
// its top directions from subspace iteration (repeated C Q and Gram-Schmidt), which needs only
// matrix products; the projected rows are scaled back to unit length, so that distances between
// them stay cosine distances.
import type { MatrixKernels } from './matrixKernels';
import { throwIfAborted } from '../util/concurrency';
import { SeededRandom } from './seededRandom';
import type { VectorRows } from './vectorRows';

const COVARIANCE_SAMPLE = 10_000;
const SUBSPACE_ITERATIONS = 8;
const PROJECT_BLOCK_ROWS = 8192;

/**
 * `unitLength: false` keeps each row's length in the subspace (for a caller that rescales the
 * directions first and normalises after, as whitening does).
 */
export async function projectOntoPrincipalSubspace(rows: VectorRows, dims: number, kernels: MatrixKernels, seed: number, signal?: AbortSignal, unitLength = true): Promise<VectorRows> {
  const { width } = rows;
  const n = rows.rows;
  dims = Math.min(dims, width);
  const random = new SeededRandom(seed);
  const sample = n <= COVARIANCE_SAMPLE ? Array.from({ length: n }, (_, i) => i) : random.permutation(n).slice(0, COVARIANCE_SAMPLE);
  const m = sample.length;
  const mean = new Float64Array(width);
  for (const r of sample) for (let d = 0; d < width; d++) mean[d] += rows.data[r * width + d] / m;
  // Sample rows minus their mean, as [width, m] (transposed) and [m, width].
  const transposed = new Float32Array(width * m);
  const centred = new Float32Array(m * width);
  sample.forEach((r, i) => {
    for (let d = 0; d < width; d++) {
      const v = rows.data[r * width + d] - mean[d];
      centred[i * width + d] = v;
      transposed[d * m + i] = v;
    }
  });
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
  for (let start = 0; start < n; start += PROJECT_BLOCK_ROWS) {
    const count = Math.min(PROJECT_BLOCK_ROWS, n - start);
    out.set(await kernels.gemm(rows.data.subarray(start * width, (start + count) * width), count, width, basis, dims, bias), start * dims);
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

/** Modified Gram-Schmidt on the columns of a row-major [rows, cols] matrix. */
function orthonormaliseColumns(matrix: Float32Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += matrix[r * cols + j] * matrix[r * cols + p];
      for (let r = 0; r < rows; r++) matrix[r * cols + j] -= dot * matrix[r * cols + p];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += matrix[r * cols + j] ** 2;
    const scale = norm > 1e-12 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < rows; r++) matrix[r * cols + j] *= scale;
  }
}
