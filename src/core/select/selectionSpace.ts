// The space TypiClust and ProbCover measure distances in: every embedding of the dataset
// (unlabelled candidates first, then the labelled images) centred on their common mean and scaled
// to unit length, so that Euclidean distance is a monotone function of cosine similarity
// (||a - b||^2 = 2 - 2 cos) and ReLU embeddings (all non-negative) do not crowd together.
// Optionally the rows are then projected onto their top principal directions (principalSubspace.ts),
// and there whitened (equaliseSpread.ts).
import { effectiveRank, equaliseSpread } from '../math/equaliseSpread';
import { projectOntoPrincipalSubspace } from '../math/principalSubspace';
import { centredUnitRows, columnMean, type VectorRows } from '../math/vectorRows';
import type { MatrixKernels } from '../math/matrixKernels';
import type { SelectionPool } from './types';

export interface SelectionSpace {
  /** [candidates + labelled, width] unit rows; row i < candidates is pool.unlabelled row i. */
  rows: VectorRows;
  candidates: number;
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
 * whitening lifted TypiClust's gain over random (6 seeds: +4.2 / +3.3 points at 20 / 50 labels
 * against +3.2 / +1.6); the reference ImageNet MobileNetV2's have 36.5 and whitening cost it
 * (+7.1 / +8.0 / +2.3 at 10 / 20 / 50 labels against +13.6 / +7.2 / +4.4). Two encoders are thin
 * evidence for the cut; it sits between them (bench/results/selection-photos-*.md).
 */
export const WHITEN_BELOW_EFFECTIVE_RANK_SHARE = 0.25;

export async function reducedSelectionSpace(pool: SelectionPool, options: SpaceOptions): Promise<SelectionSpace> {
  const space = selectionSpace(pool);
  const dims = Math.min(options.dims ?? space.rows.width, space.rows.width);
  const whiten = options.whitenShrinkage !== undefined && space.rows.rows >= WHITEN_ROWS_PER_DIRECTION * dims;
  if (!whiten && (!options.dims || options.dims >= space.rows.width)) return space;
  const projected = await projectOntoPrincipalSubspace(space.rows, dims, options.kernels, options.seed, options.signal, !whiten);
  if (!whiten) return { rows: projected, candidates: space.candidates };
  if (effectiveRank(projected) < WHITEN_BELOW_EFFECTIVE_RANK_SHARE * dims) return { rows: equaliseSpread(projected, options.whitenShrinkage!), candidates: space.candidates };
  return { rows: unitRows(projected), candidates: space.candidates };
}

export function selectionSpace(pool: SelectionPool): SelectionSpace {
  const width = pool.unlabelled.width || pool.labelled.width;
  const mean = columnMean([pool.unlabelled, pool.labelled], width);
  const all: VectorRows = { data: new Float32Array((pool.unlabelled.rows + pool.labelled.rows) * width), rows: pool.unlabelled.rows + pool.labelled.rows, width };
  all.data.set(pool.unlabelled.data.subarray(0, pool.unlabelled.rows * width));
  all.data.set(pool.labelled.data.subarray(0, pool.labelled.rows * width), pool.unlabelled.rows * width);
  return { rows: centredUnitRows(all, mean), candidates: pool.unlabelled.rows };
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
