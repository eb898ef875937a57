// What every soft-label method takes and returns. Plain data: results cross the engine RPC.
import type { VectorRows } from '../math/vectorRows';

export const SUGGESTION_METHODS = ['pll', 'moe', 'knn'] as const;
export type SuggestionMethod = (typeof SUGGESTION_METHODS)[number];

/** Every image of a dataset: its embedding row and its given label (class index, -1 = unlabelled). */
export interface LabelledPool {
  features: VectorRows;
  labels: Int32Array;
  classNames: string[];
}

/** Why a labelled image is flagged (or not): numbers from out-of-sample predictions. */
export interface LabelEvidence {
  /** The out-of-sample model's probability for the given label. */
  pGiven: number;
  /** Its most likely class and that class's probability. */
  predicted: number;
  pPredicted: number;
  /** Whether the given label is among its two most likely classes. */
  givenInTop2: boolean;
}

export interface SoftLabels {
  classNames: string[];
  /** [rows, classes]: each row sums to 1. */
  probabilities: Float64Array;
  /** Per row: evidence for labelled rows, null for unlabelled ones. */
  evidence: Array<LabelEvidence | null>;
  /** Per row: the labelled image's given label looks wrong (always false for unlabelled rows). */
  issues: boolean[];
}

/**
 * A labelled image is flagged when its given label is not in the top 2 and the top class has at
 * least this probability. 0.3 is the threshold with the best recall whose flags were at least 90%
 * right at both 20% and 40% label noise on MNIST with the previous bundled encoder (distiller:
 * precision/recall 0.91/0.84 and 0.96/0.72; 0.5 kept precision near 1 but found only 65% and
 * 37%). With the InceptionV3 encoder 0.3 gives 0.96/0.85 and 0.98/0.79, and every tested
 * threshold stays above 90% precision (bench/results/suggest.md).
 */
export const DEFAULT_ISSUE_CONFIDENCE = 0.3;

export function labelEvidence(p: ArrayLike<number>, given: number): LabelEvidence {
  let first = 0;
  let second = -1;
  for (let c = 1; c < p.length; c++) {
    if (p[c] > p[first]) {
      second = first;
      first = c;
    } else if (second < 0 || p[c] > p[second]) second = c;
  }
  return { pGiven: p[given], predicted: first, pPredicted: p[first], givenInTop2: given === first || given === second };
}

export function isLabelIssue(evidence: LabelEvidence, confidence: number): boolean {
  return !evidence.givenInTop2 && evidence.pPredicted >= confidence;
}

/** Thrown when a method cannot run on this dataset; the message says what to do. */
export class SuggestionUnavailableError extends Error {
  override name = 'SuggestionUnavailableError';
}

export function requireTrainableLabels(pool: LabelledPool, method: string, minimumPerClass = 2): number[] {
  const counts = new Array<number>(pool.classNames.length).fill(0);
  for (const label of pool.labels) if (label >= 0) counts[label]++;
  const present = counts.filter((n) => n > 0).length;
  if (present < 2 || counts.reduce((a, b) => a + b, 0) < 2 * minimumPerClass) {
    throw new SuggestionUnavailableError(
      `${method} learns from the labelled images, so it needs labelled images in at least 2 classes ` +
        `(this dataset has ${counts.reduce((a, b) => a + b, 0)} labelled in ${present}). Label a few images of each class first.`,
    );
  }
  return counts;
}
