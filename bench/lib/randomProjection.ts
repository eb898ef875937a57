// A seeded Gaussian random projection (Johnson-Lindenstrauss): the cheapest way to shrink
// embeddings when a pool does not fit in memory at full width. Inner products, and so cosine
// distances, are kept up to a relative error of about 1/sqrt(target width); the selection
// benchmark measures what that costs in label efficiency on real images.
import { SeededRandom } from '../../src/core/math/seededRandom';
import type { VectorRows } from '../../src/core/math/vectorRows';

export interface Projection {
  readonly from: number;
  readonly to: number;
  /** from x to, row-major, entries N(0, 1/to). */
  readonly matrix: Float32Array;
}

export function randomProjection(from: number, to: number, seed: number): Projection {
  const random = new SeededRandom(seed);
  const scale = 1 / Math.sqrt(to);
  const matrix = Float32Array.from({ length: from * to }, () => random.normal() * scale);
  return { from, to, matrix };
}

export function projectRows(rows: VectorRows, projection: Projection): VectorRows {
  if (rows.width !== projection.from) throw new Error(`cannot project ${rows.width}-wide rows with a ${projection.from}-wide projection`);
  const { to, matrix } = projection;
  const out = new Float32Array(rows.rows * to);
  const acc = new Float64Array(to);
  for (let r = 0; r < rows.rows; r++) {
    acc.fill(0);
    const base = r * rows.width;
    for (let k = 0; k < rows.width; k++) {
      const v = rows.data[base + k];
      if (v === 0) continue; // ReLU embeddings are sparse
      const m = k * to;
      for (let j = 0; j < to; j++) acc[j] += v * matrix[m + j];
    }
    for (let j = 0; j < to; j++) out[r * to + j] = acc[j];
  }
  return { data: out, rows: rows.rows, width: to };
}
