// The space TypiClust and ProbCover measure distances in: every embedding of the dataset
// (unlabelled candidates first, then the labelled images) centred on their common mean and scaled
// to unit length, so that Euclidean distance is a monotone function of cosine similarity
// (||a - b||^2 = 2 - 2 cos) and ReLU embeddings (all non-negative) do not crowd together.
// Optionally the rows are then projected onto their top principal directions (principalSubspace.ts),
// and there whitened (equaliseSpread.ts). The full-width centred rows are then produced block by
// block for the projection and never held all at once (at 100,000 x 1280 they would be another
// 512 MB next to the pool).
import { effectiveRank, equaliseSpread } from '../math/equaliseSpread';
import { projectOntoPrincipalSubspace } from '../math/principalSubspace';
import { columnMean, type RowSource, type VectorRows } from '../math/vectorRows';
import type { MatrixKernels } from '../math/matrixKernels';
import type { SelectionPool } from './types';

export interface SelectionSpace {
  /** [candidates + labelled, width] unit rows; row i < candidates is pool.unlabelled row i. */
  rows: VectorRows;
  candidates: number;
  /** The rows were whitened (a few principal directions dominated the spread). */
  whitened: boolean;
}

export interface SpaceOptions {
  /** Project onto this many principal directions when the embeddings are wider. */
  dims?: number;
  /**
   * Whiten in those directions: each scaled to equal spread, with this shrinkage (a share of the
   * mean variance added to each) keeping near-empty directions from turning into noise.
   */
  whitenShrinkage?: number;
  kernels: MatrixKernels;
  seed: number;
  signal?: AbortSignal;
}

/**
 * Whitening needs each direction's variance measured on enough rows: below this many per
 * direction (2,560 images for 128) the small directions' spread is mostly sampling noise, and
 * equalising it scrambles the neighbourhoods (TypiClust on 300 photographs reached fewer classes
 * whitened than not). Smaller pools are projected without it.
 */
export const WHITEN_ROWS_PER_DIRECTION = 20;

/**
 * Whitening is for embeddings whose spread a few directions dominate: it is applied when the
 * projected directions' effective rank (math/equaliseSpread.ts) is below this share of their
 * number. On cifar10-dev the bundled encoder's 128 directions have an effective rank of 21.5 and
 * whitening lifted TypiClust's gain over random (6 seeds, neighbours sought in the whole pool:
 * +4.2 / +3.3 points at 20 / 50 labels against +3.2 / +1.6); the reference ImageNet MobileNetV2's have 36.5 and whitening cost it
 * (+7.1 / +8.0 / +2.3 at 10 / 20 / 50 labels against +13.6 / +7.2 / +4.4). Two encoders are thin
 * evidence for the cut; it sits between them (bench/results/selection-photos-*.md).
 */
export const WHITEN_BELOW_EFFECTIVE_RANK_SHARE = 0.25;

export async function reducedSelectionSpace(pool: SelectionPool, options: SpaceOptions): Promise<SelectionSpace> {
  const source = centredPoolRows(pool);
  const candidates = pool.unlabelled.rows;
  const dims = Math.min(options.dims ?? source.width, source.width);
  const whiten = options.whitenShrinkage !== undefined && source.rows >= WHITEN_ROWS_PER_DIRECTION * dims;
  if (!whiten && (!options.dims || options.dims >= source.width)) return { rows: allRows(source), candidates, whitened: false };
  const projected = await projectOntoPrincipalSubspace(source, dims, options.kernels, options.seed, options.signal, !whiten);
  if (!whiten) return { rows: projected, candidates, whitened: false };
  if (effectiveRank(projected) < WHITEN_BELOW_EFFECTIVE_RANK_SHARE * dims) return { rows: equaliseSpread(projected, options.whitenShrinkage!), candidates, whitened: true };
  return { rows: unitRows(projected), candidates, whitened: false };
}

export function selectionSpace(pool: SelectionPool): SelectionSpace {
  return { rows: allRows(centredPoolRows(pool)), candidates: pool.unlabelled.rows, whitened: false };
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

/** The rows scaled to unit length, in place. */
function unitRows(rows: VectorRows): VectorRows {
  const { width } = rows;
  for (let r = 0; r < rows.rows; r++) {
    let norm = 0;
    for (let d = 0; d < width; d++) norm += rows.data[r * width + d] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < width; d++) rows.data[r * width + d] *= inv;
  }
  return rows;
}

/** Euclidean distance between unit rows from their dot product. */
export function unitDistance(dotProduct: number): number {
  return Math.sqrt(Math.max(0, 2 - 2 * dotProduct));
}
