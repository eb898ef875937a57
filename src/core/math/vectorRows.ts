// Row-major matrices of embeddings and the preprocessing every method applies to them.
// ReLU embeddings are all non-negative, so raw cosines crowd near 1: centring on the dataset mean
// and scaling rows to unit length spreads them out and makes a dot product a meaningful cosine.

export interface VectorRows {
  /** rows x width floats, row-major. */
  data: Float32Array;
  rows: number;
  width: number;
}

/** Rows read one at a time (computed on demand) instead of held as one matrix. */
export interface RowSource {
  rows: number;
  width: number;
  /** Writes row `row` into out[at .. at + width). */
  read(row: number, out: Float32Array, at: number): void;
}

/** A matrix as a RowSource. */
export function rowSource(rows: VectorRows): RowSource {
  const { width } = rows;
  return { rows: rows.rows, width, read: (row, out, at) => out.set(rows.data.subarray(row * width, (row + 1) * width), at) };
}

export function columnMean(blocks: readonly VectorRows[], width: number): Float64Array {
  const mean = new Float64Array(width);
  let count = 0;
  for (const block of blocks) {
    for (let r = 0; r < block.rows; r++) for (let k = 0; k < width; k++) mean[k] += block.data[r * width + k];
    count += block.rows;
  }
  if (count > 0) for (let k = 0; k < width; k++) mean[k] /= count;
  return mean;
}

/** Rows minus `mean`, each scaled to unit length; a row that is zero after centring stays zero. */
export function centredUnitRows(rows: VectorRows, mean: Float64Array): VectorRows {
  const { width } = rows;
  const data = new Float32Array(rows.rows * width);
  for (let r = 0; r < rows.rows; r++) {
    let norm = 0;
    for (let k = 0; k < width; k++) {
      const v = rows.data[r * width + k] - mean[k];
      data[r * width + k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < width; k++) data[r * width + k] *= scale;
  }
  return { data, rows: rows.rows, width };
}

/** The given rows, in order, as a new matrix. */
export function pickRows(rows: VectorRows, indices: readonly number[]): VectorRows {
  const { width } = rows;
  const data = new Float32Array(indices.length * width);
  indices.forEach((row, i) => data.set(rows.data.subarray(row * width, (row + 1) * width), i * width));
  return { data, rows: indices.length, width };
}

/** Dot product of row i of a and row j of b (same width). */
export function rowDot(a: VectorRows, i: number, b: VectorRows, j: number): number {
  const { width } = a;
  let sum = 0;
  const ai = i * width;
  const bj = j * width;
  for (let k = 0; k < width; k++) sum += a.data[ai + k] * b.data[bj + k];
  return sum;
}

/** Dot product of `width` floats of a from aStart and of b from bStart. */
export function dot(a: Float32Array, aStart: number, b: Float32Array, bStart: number, width: number): number {
  let sum = 0;
  for (let k = 0; k < width; k++) sum += a[aStart + k] * b[bStart + k];
  return sum;
}

/** Per-item sets of semantic patterns (FreeSel): rows of `vectors` from offsets[i] to offsets[i + 1] belong to item i. */
export interface PatternSets {
  vectors: VectorRows;
  offsets: Int32Array;
}
