// The space TypiClust and ProbCover measure distances in: every embedding of the dataset
// (unlabelled candidates first, then the labelled images) centred on their common mean and scaled
// to unit length, so that Euclidean distance is a monotone function of cosine similarity
// (||a - b||^2 = 2 - 2 cos) and ReLU embeddings (all non-negative) do not crowd together.
// Optionally the rows are then projected onto their top principal directions (principalSubspace.ts);
// the full-width centred rows are then produced block by block for the projection and never held
// all at once (at 100,000 x 1280 they would be another 512 MB next to the pool).
import { projectOntoPrincipalSubspace } from '../math/principalSubspace';
import { columnMean, type RowSource, type VectorRows } from '../math/vectorRows';
import type { MatrixKernels } from './kernels/matrixKernels';
import type { SelectionPool } from './types';

export interface SelectionSpace {
  /** [candidates + labelled, width] unit rows; row i < candidates is pool.unlabelled row i. */
  rows: VectorRows;
  candidates: number;
}

export interface SpaceOptions {
  /** Project onto this many principal directions when the embeddings are wider. */
  dims?: number;
  kernels: MatrixKernels;
  seed: number;
  signal?: AbortSignal;
}

export async function reducedSelectionSpace(pool: SelectionPool, options: SpaceOptions): Promise<SelectionSpace> {
  const source = centredPoolRows(pool);
  if (!options.dims || options.dims >= source.width) return { rows: allRows(source), candidates: pool.unlabelled.rows };
  return { rows: await projectOntoPrincipalSubspace(source, options.dims, options.kernels, options.seed, options.signal), candidates: pool.unlabelled.rows };
}

export function selectionSpace(pool: SelectionPool): SelectionSpace {
  return { rows: allRows(centredPoolRows(pool)), candidates: pool.unlabelled.rows };
}

function allRows(source: RowSource): VectorRows {
  const { width } = source;
  const data = new Float32Array(source.rows * width);
  for (let r = 0; r < source.rows; r++) source.read(r, data, r * width);
  return { data, rows: source.rows, width };
}

/** The pool's rows (unlabelled, then labelled) minus their common mean, each scaled to unit length, read one at a time. */
function centredPoolRows(pool: SelectionPool): RowSource {
  const width = pool.unlabelled.width || pool.labelled.width;
  const mean = columnMean([pool.unlabelled, pool.labelled], width);
  const candidates = pool.unlabelled.rows;
  return {
    rows: candidates + pool.labelled.rows,
    width,
    read(row: number, out: Float32Array, at: number): void {
      const [data, start] = row < candidates ? [pool.unlabelled.data, row * width] : [pool.labelled.data, (row - candidates) * width];
      // The same arithmetic as centredUnitRows: a zero row after centring stays zero.
      let norm = 0;
      for (let k = 0; k < width; k++) {
        const v = data[start + k] - mean[k];
        out[at + k] = v;
        norm += v * v;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let k = 0; k < width; k++) out[at + k] *= scale;
    },
  };
}

/** Euclidean distance between unit rows from their dot product. */
export function unitDistance(dotProduct: number): number {
  return Math.sqrt(Math.max(0, 2 - 2 * dotProduct));
}
