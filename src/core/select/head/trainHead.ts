// Joint training of the classifier head and its loss-prediction module on the labelled images:
// L = mean CE + lambda * L_rank, with L_rank the margin ranking loss over pairs (i, i + B/2) of a
// batch: s = +1 if the true loss l_i > l_j else -1 (true losses are constants here),
// L_rank = mean max(0, xi - s * (l_hat_i - l_hat_j)); lambda = xi = 1 (METHODS.md section 2).
// The LPM's gradient also flows into the shared hidden layer. Adam, seeded init and batch order,
// a fixed number of steps: the same inputs and seed give the same weights.
import { SeededRandom } from '../../math/seededRandom';
import { forwardSample, HEAD_TENSORS, initialHead, type ClassifierHead, type HeadShape, type HeadTensorName } from './classifierHead';

export interface TrainOptions {
  seed: number;
  hidden?: number;
  lossHidden?: number;
  steps?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  rankWeight?: number;
  rankMargin?: number;
}

export const TRAIN_DEFAULTS = { hidden: 32, lossHidden: 8, steps: 200, batchSize: 32, learningRate: 1e-3, weightDecay: 1e-4, rankWeight: 1, rankMargin: 1 };

/** Trains on `inputs` ([rows, width], already standardised) with class indices `labels` in [0, classes). */
export function trainHead(inputs: Float32Array, rows: number, width: number, labels: Int32Array, classes: number, options: TrainOptions): ClassifierHead {
  const o = { ...TRAIN_DEFAULTS, ...definedOnly(options) };
  const random = new SeededRandom(options.seed);
  const shape: HeadShape = { inputs: width, hidden: o.hidden, classes, lossHidden: o.lossHidden };
  const head = initialHead(shape, random);
  const grads = zerosLike(head);
  const firstMoment = zerosLike(head);
  const secondMoment = zerosLike(head);
  const batchSize = Math.min(o.batchSize, rows);
  let order = random.permutation(rows);
  let cursor = 0;
  for (let step = 1; step <= o.steps; step++) {
    if (cursor + batchSize > rows) {
      order = random.permutation(rows);
      cursor = 0;
    }
    const batch = order.slice(cursor, cursor + batchSize);
    cursor += batchSize;
    for (const name of HEAD_TENSORS) grads[name].fill(0);
    accumulateGradients(head, grads, inputs, batch, labels, o.rankWeight, o.rankMargin);
    adamStep(head, grads, firstMoment, secondMoment, step, o.learningRate, o.weightDecay);
  }
  return head;
}

function accumulateGradients(head: ClassifierHead, grads: Record<HeadTensorName, Float32Array>, inputs: Float32Array, batch: number[], labels: Int32Array, rankWeight: number, rankMargin: number): void {
  const { inputs: width, hidden, classes, lossHidden } = head.shape;
  const size = batch.length;
  const passes = batch.map((row) => forwardSample(head, inputs, row * width));
  const trueLoss = passes.map((pass, i) => -pass.logProbabilities[labels[batch[i]]]);
  // d(lambda * L_rank)/d(l_hat_i) for every sample of the batch.
  const lossGrad = new Float64Array(size);
  const half = Math.floor(size / 2);
  for (let i = 0; i < half; i++) {
    const j = i + half;
    const sign = trueLoss[i] > trueLoss[j] ? 1 : -1;
    if (rankMargin - sign * (passes[i].predictedLoss - passes[j].predictedLoss) > 0) {
      lossGrad[i] -= (rankWeight * sign) / half;
      lossGrad[j] += (rankWeight * sign) / half;
    }
  }
  for (let i = 0; i < size; i++) {
    const pass = passes[i];
    const xStart = batch[i] * width;
    const da1 = new Float64Array(hidden);
    // Loss-prediction module.
    const dl = lossGrad[i];
    if (dl !== 0) {
      grads.c0[0] += dl;
      for (let r = 0; r < 2 * lossHidden; r++) {
        grads.u[r] += dl * pass.lossFeatures[r];
        if (pass.lossFeatures[r] <= 0) continue;
        const dFeature = dl * head.u[r];
        if (r < lossHidden) {
          grads.c1[r] += dFeature;
          for (let k = 0; k < width; k++) grads.v1[k * lossHidden + r] += inputs[xStart + k] * dFeature;
        } else {
          const q = r - lossHidden;
          grads.c2[q] += dFeature;
          for (let j = 0; j < hidden; j++) {
            grads.v2[j * lossHidden + q] += pass.a1[j] * dFeature;
            da1[j] += head.v2[j * lossHidden + q] * dFeature;
          }
        }
      }
    }
    // Cross-entropy through the main head.
    const label = labels[batch[i]];
    for (let c = 0; c < classes; c++) {
      const dz2 = (pass.probabilities[c] - (c === label ? 1 : 0)) / size;
      grads.b2[c] += dz2;
      for (let j = 0; j < hidden; j++) {
        grads.w2[j * classes + c] += pass.a1[j] * dz2;
        da1[j] += head.w2[j * classes + c] * dz2;
      }
    }
    for (let j = 0; j < hidden; j++) {
      if (pass.z1[j] <= 0 || da1[j] === 0) continue;
      const dz1 = da1[j];
      grads.b1[j] += dz1;
      for (let k = 0; k < width; k++) grads.w1[k * hidden + j] += inputs[xStart + k] * dz1;
    }
  }
}

const WEIGHT_TENSORS: ReadonlySet<HeadTensorName> = new Set(['w1', 'w2', 'v1', 'v2', 'u']);

function adamStep(
  head: ClassifierHead,
  grads: Record<HeadTensorName, Float32Array>,
  m: Record<HeadTensorName, Float32Array>,
  v: Record<HeadTensorName, Float32Array>,
  step: number,
  learningRate: number,
  weightDecay: number,
): void {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (const name of HEAD_TENSORS) {
    const w = head[name];
    const g = grads[name];
    const decay = WEIGHT_TENSORS.has(name) ? weightDecay : 0;
    const mt = m[name];
    const vt = v[name];
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] + decay * w[i];
      mt[i] = beta1 * mt[i] + (1 - beta1) * gi;
      vt[i] = beta2 * vt[i] + (1 - beta2) * gi * gi;
      w[i] -= (learningRate * (mt[i] / correction1)) / (Math.sqrt(vt[i] / correction2) + 1e-8);
    }
  }
}

function zerosLike(head: ClassifierHead): Record<HeadTensorName, Float32Array> {
  return Object.fromEntries(HEAD_TENSORS.map((name) => [name, new Float32Array(head[name].length)])) as Record<HeadTensorName, Float32Array>;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
