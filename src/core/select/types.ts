// What every selector takes and returns. Plain data: results cross the engine RPC.

import type { PatternSets, VectorRows } from '../math/vectorRows';
import type { MatrixKernels } from '../math/matrixKernels';

/** Row-major vectors, one block of `width` floats per row; per-item sets of them (FreeSel's patterns). */
export type { PatternSets, VectorRows };

export const SELECTION_METHODS = ['auto', 'typiclust', 'probcover', 'freesel', 'lplgrad', 'random', 'entropy', 'margin', 'least-confidence', 'kcenter'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

export interface SelectionPool {
  /** Global embeddings of the unlabelled candidates, one row per item. */
  unlabelled: VectorRows;
  /** Global embeddings of the labelled images, and their class index into classNames. */
  labelled: VectorRows;
  labels: Int32Array;
  classNames: string[];
  /** FreeSel only: patterns of the unlabelled items and of the labelled images (already "selected"). */
  unlabelledPatterns?: PatternSets;
  labelledPatterns?: PatternSets;
}

export interface SelectionOptions {
  budget: number;
  seed: number;
  kernels: MatrixKernels;
  signal?: AbortSignal;
}

/** One chosen item: its index in pool.unlabelled, the number it was ranked by, and why. */
export interface SelectedItem {
  index: number;
  score: number;
  /** Method-specific numbers behind the choice (e.g. { distance } or { gradNorm, predictedLoss }). */
  why: Record<string, number>;
}

export interface Selector {
  readonly method: SelectionMethod;
  /** Ordered picks, best first; never more than the budget or the pool. */
  select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]>;
}

/** Thrown when a method cannot run on this pool (e.g. it needs labels); the message says what to do. */
export class SelectionUnavailableError extends Error {
  override name = 'SelectionUnavailableError';
}
