// Shared by LPLgrad and the uncertainty baselines: check there are labels to learn from, train the
// head + LPM on the labelled embeddings, then score every unlabelled image in one bulk pass
// (the input-side matrix products run through MatrixKernels, in row blocks).
import { throwIfAborted } from '../../util/concurrency';
import type { MatrixKernels } from '../../math/matrixKernels';
import { SelectionUnavailableError, type SelectionPool } from '../types';
import { columnMean } from '../../math/vectorRows';
import { forwardFromInputProducts } from './classifierHead';
import { entropyGradient } from './entropyGradient';
import { trainHead, type TrainOptions } from './trainHead';

export const MIN_LABELLED_IMAGES = 4;
const ROW_BLOCK = 8192;

export interface HeadScores {
  entropy: Float64Array;
  /** Top-1 minus top-2 probability. */
  margin: Float64Array;
  maxProbability: Float64Array;
  /** LPLgrad's score: sum over the main head's parameter tensors of ||dH/dtheta||. */
  gradNorm: Float64Array;
  /** The loss-prediction module's estimate l_hat. */
  predictedLoss: Float64Array;
}

/** Throws a SelectionUnavailableError that says what to do when the labels cannot train a classifier. */
export function requireLabels(pool: SelectionPool, methodName: string): void {
  const classesSeen = new Set(pool.labels).size;
  if (pool.labelled.rows >= MIN_LABELLED_IMAGES && classesSeen >= 2) return;
  throw new SelectionUnavailableError(
    `${methodName} trains a classifier on the labelled images, so it needs at least ${MIN_LABELLED_IMAGES} labelled images in at least 2 classes ` +
      `(this dataset has ${pool.labelled.rows} labelled in ${classesSeen} class${classesSeen === 1 ? '' : 'es'}). ` +
      'Label a few images of each class first, or use TypiClust (or auto), which needs no labels.',
  );
}

export async function trainedHeadScores(pool: SelectionPool, methodName: string, kernels: MatrixKernels, training: TrainOptions, signal?: AbortSignal): Promise<HeadScores> {
  requireLabels(pool, methodName);
  const { width } = pool.unlabelled;
  // Standardise with one mean vector and one scale for the whole dataset (ReLU embeddings are
  // non-negative and far from zero-centred).
  const mean = columnMean([pool.labelled, pool.unlabelled], width);
  const scale = rootMeanSquare([pool.labelled, pool.unlabelled].map((b) => b.data), mean, width);
  const standardised = new Float32Array(pool.labelled.data.length);
  for (let i = 0; i < standardised.length; i++) standardised[i] = (pool.labelled.data[i] - mean[i % width]) / scale;
  // Class indices are compacted to the classes that have labelled images.
  const present = [...new Set(pool.labels)].sort((a, b) => a - b);
  const compact = Int32Array.from(pool.labels, (label) => present.indexOf(label));
  const head = trainHead(standardised, pool.labelled.rows, width, compact, present.length, training);
  throwIfAborted(signal);

  // One kernel pass gives both input-side products: [W1 | V1] / scale, with the mean folded into the bias.
  const { hidden, lossHidden } = head.shape;
  const cols = hidden + lossHidden;
  const weights = new Float32Array(width * cols);
  const bias = new Float64Array(cols);
  for (let j = 0; j < hidden; j++) bias[j] = head.b1[j];
  for (let r = 0; r < lossHidden; r++) bias[hidden + r] = head.c1[r];
  for (let k = 0; k < width; k++) {
    for (let j = 0; j < hidden; j++) {
      const w = head.w1[k * hidden + j] / scale;
      weights[k * cols + j] = w;
      bias[j] -= mean[k] * w;
    }
    for (let r = 0; r < lossHidden; r++) {
      const w = head.v1[k * lossHidden + r] / scale;
      weights[k * cols + hidden + r] = w;
      bias[hidden + r] -= mean[k] * w;
    }
  }
  const bias32 = Float32Array.from(bias);
  const n = pool.unlabelled.rows;
  const scores: HeadScores = {
    entropy: new Float64Array(n),
    margin: new Float64Array(n),
    maxProbability: new Float64Array(n),
    gradNorm: new Float64Array(n),
    predictedLoss: new Float64Array(n),
  };
  for (let start = 0; start < n; start += ROW_BLOCK) {
    const rows = Math.min(ROW_BLOCK, n - start);
    const block = pool.unlabelled.data.subarray(start * width, (start + rows) * width);
    const products = await kernels.gemm(block, rows, width, weights, cols, bias32);
    for (let r = 0; r < rows; r++) {
      const item = start + r;
      const row = products.subarray(r * cols, (r + 1) * cols);
      const forward = forwardFromInputProducts(head, row.subarray(0, hidden), row.subarray(hidden));
      const gradient = entropyGradient(head, forward, standardisedNorm(block, r * width, mean, scale, width));
      const sorted = [...forward.probabilities].sort((a, b) => b - a);
      scores.entropy[item] = gradient.entropy;
      scores.gradNorm[item] = gradient.total;
      scores.maxProbability[item] = sorted[0];
      scores.margin[item] = sorted[0] - (sorted[1] ?? 0);
      scores.predictedLoss[item] = forward.predictedLoss;
    }
    throwIfAborted(signal);
  }
  return scores;
}

function rootMeanSquare(blocks: Float32Array[], mean: Float64Array, width: number): number {
  let sum = 0;
  let count = 0;
  for (const data of blocks) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i] - mean[i % width];
      sum += v * v;
    }
    count += data.length;
  }
  return count > 0 && sum > 0 ? Math.sqrt(sum / count) : 1;
}

function standardisedNorm(data: Float32Array, start: number, mean: Float64Array, scale: number, width: number): number {
  let sum = 0;
  for (let k = 0; k < width; k++) {
    const v = (data[start + k] - mean[k]) / scale;
    sum += v * v;
  }
  return Math.sqrt(sum);
}
