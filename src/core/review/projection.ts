// A 2-D map of the embeddings: the first two principal components, found by subspace (orthogonal)
// iteration on a bounded sample of rows, then applied to every row. Deterministic: the start
// vectors come from a fixed seed and each axis's sign is fixed, so the same embeddings always give
// the same map (and the cached map stays valid).

export interface Pca2 {
  mean: Float64Array;
  /** Two orthonormal axes of length `width`. */
  axes: [Float64Array, Float64Array];
  /** Share of the total variance along each axis. */
  explained: [number, number];
}

const ITERATIONS = 60;

/** Fits the two leading principal axes of `rows` (row-major, `width` floats per row). */
export function fitPca2(rows: Float32Array, width: number, seed = 1): Pca2 {
  const count = width > 0 ? Math.floor(rows.length / width) : 0;
  const mean = new Float64Array(width);
  for (let r = 0; r < count; r++) for (let k = 0; k < width; k++) mean[k] += rows[r * width + k];
  if (count > 0) for (let k = 0; k < width; k++) mean[k] /= count;

  let state = seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: tiny, fast and the same on every platform.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32 - 0.5;
  };
  let axes: [Float64Array, Float64Array] = [Float64Array.from({ length: width }, random), Float64Array.from({ length: width }, random)];
  orthonormalise(axes);
  const centred = new Float64Array(width);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    // next = C * axes, with C = X^T X / n computed implicitly, row by row.
    const next: [Float64Array, Float64Array] = [new Float64Array(width), new Float64Array(width)];
    for (let r = 0; r < count; r++) {
      let dot0 = 0;
      let dot1 = 0;
      for (let k = 0; k < width; k++) {
        const value = rows[r * width + k] - mean[k];
        centred[k] = value;
        dot0 += value * axes[0][k];
        dot1 += value * axes[1][k];
      }
      for (let k = 0; k < width; k++) {
        next[0][k] += dot0 * centred[k];
        next[1][k] += dot1 * centred[k];
      }
    }
    orthonormalise(next);
    axes = next;
  }
  for (const axis of axes) fixSign(axis);
  return { mean, axes, explained: explainedShares(rows, width, count, mean, axes) };
}

/** Coordinates of `rows` on the two axes, interleaved per row: [x0, y0, x1, y1, ...]. */
export function projectRows(rows: Float32Array, width: number, pca: Pca2): Float64Array {
  const count = width > 0 ? Math.floor(rows.length / width) : 0;
  const out = new Float64Array(count * 2);
  for (let r = 0; r < count; r++) {
    let x = 0;
    let y = 0;
    for (let k = 0; k < width; k++) {
      const value = rows[r * width + k] - pca.mean[k];
      x += value * pca.axes[0][k];
      y += value * pca.axes[1][k];
    }
    out[2 * r] = x;
    out[2 * r + 1] = y;
  }
  return out;
}

/** Scales interleaved coordinates into [0, 1] on each axis (a constant axis maps to 0.5). */
export function normaliseToUnitSquare(points: Float64Array): { xs: number[]; ys: number[] } {
  const n = points.length / 2;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, points[2 * i]);
    maxX = Math.max(maxX, points[2 * i]);
    minY = Math.min(minY, points[2 * i + 1]);
    maxY = Math.max(maxY, points[2 * i + 1]);
  }
  const scale = (value: number, min: number, max: number): number => (max > min ? round((value - min) / (max - min)) : 0.5);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    xs.push(scale(points[2 * i], minX, maxX));
    ys.push(scale(points[2 * i + 1], minY, maxY));
  }
  return { xs, ys };
}

/** Gram-Schmidt on two vectors, in place. */
function orthonormalise(axes: [Float64Array, Float64Array]): void {
  normalise(axes[0]);
  const projection = dot(axes[1], axes[0]);
  for (let k = 0; k < axes[1].length; k++) axes[1][k] -= projection * axes[0][k];
  normalise(axes[1]);
}

/** An eigenvector is only defined up to sign: make its largest-magnitude entry positive. */
function fixSign(axis: Float64Array): void {
  let largest = 0;
  for (let k = 1; k < axis.length; k++) if (Math.abs(axis[k]) > Math.abs(axis[largest])) largest = k;
  if (axis[largest] < 0) for (let k = 0; k < axis.length; k++) axis[k] = -axis[k];
}

function explainedShares(rows: Float32Array, width: number, count: number, mean: Float64Array, axes: [Float64Array, Float64Array]): [number, number] {
  let total = 0;
  let along0 = 0;
  let along1 = 0;
  for (let r = 0; r < count; r++) {
    let d0 = 0;
    let d1 = 0;
    for (let k = 0; k < width; k++) {
      const value = rows[r * width + k] - mean[k];
      total += value * value;
      d0 += value * axes[0][k];
      d1 += value * axes[1][k];
    }
    along0 += d0 * d0;
    along1 += d1 * d1;
  }
  return total > 0 ? [along0 / total, along1 / total] : [0, 0];
}

function normalise(vector: Float64Array): void {
  const norm = Math.sqrt(dot(vector, vector));
  if (norm > 0) for (let k = 0; k < vector.length; k++) vector[k] /= norm;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
