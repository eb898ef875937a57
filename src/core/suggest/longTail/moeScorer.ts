// LPT++'s mixture-of-experts scorer: a small MLP that reads each expert's confidence signals for a
// sample (max probability, margin, normalised entropy) and outputs a softmax weight per expert;
// the prediction is p = sum_e w_e(x) p_e(x). Trained alone, experts frozen (phase 3), with
// loss -log p[y] on class-balanced batches.
import { entropy, margin } from '../../math/probabilities';
import type { BatchSampler } from '../../math/batchSamplers';
import { SeededRandom } from '../../math/seededRandom';

export const SIGNALS_PER_EXPERT = 3;

export interface MoeScorer {
  experts: number;
  hidden: number;
  w1: Float64Array; // [3E, hidden]
  b1: Float64Array;
  w2: Float64Array; // [hidden, E]
  b2: Float64Array;
}

/** Per expert: [max p, top-1 minus top-2, entropy / log C]. */
export function confidenceSignals(expertProbabilities: ArrayLike<number>[]): Float64Array {
  const signals = new Float64Array(expertProbabilities.length * SIGNALS_PER_EXPERT);
  expertProbabilities.forEach((p, e) => {
    let max = 0;
    for (let c = 0; c < p.length; c++) max = Math.max(max, p[c]);
    signals[e * 3] = max;
    signals[e * 3 + 1] = margin(p);
    signals[e * 3 + 2] = p.length > 1 ? entropy(p) / Math.log(p.length) : 0;
  });
  return signals;
}

/** Expert weights for one sample, and the hidden activations (kept for back-propagation). */
export function scorerForward(scorer: MoeScorer, signals: Float64Array): { weights: Float64Array; hidden: Float64Array } {
  const { experts, hidden: h } = scorer;
  const inputs = experts * SIGNALS_PER_EXPERT;
  const hidden = Float64Array.from(scorer.b1);
  for (let i = 0; i < inputs; i++) for (let j = 0; j < h; j++) hidden[j] += signals[i] * scorer.w1[i * h + j];
  for (let j = 0; j < h; j++) hidden[j] = Math.max(0, hidden[j]);
  const logits = Float64Array.from(scorer.b2);
  for (let j = 0; j < h; j++) for (let e = 0; e < experts; e++) logits[e] += hidden[j] * scorer.w2[j * experts + e];
  const max = Math.max(...logits);
  let sum = 0;
  const weights = logits.map((z) => {
    const v = Math.exp(z - max);
    sum += v;
    return v;
  });
  for (let e = 0; e < experts; e++) weights[e] /= sum;
  return { weights, hidden };
}

export interface ScorerTraining {
  /** Per sample, per expert: that expert's (out-of-fold) class probabilities. */
  expertProbabilities: Float64Array[][];
  labels: Int32Array;
  sampler: BatchSampler;
  steps: number;
  seed: number;
  hidden?: number;
  learningRate?: number;
}

export function trainMoeScorer(training: ScorerTraining): MoeScorer {
  const experts = training.expertProbabilities[0].length;
  const h = training.hidden ?? 16;
  const random = new SeededRandom(training.seed);
  const inputs = experts * SIGNALS_PER_EXPERT;
  const scorer: MoeScorer = {
    experts,
    hidden: h,
    w1: Float64Array.from({ length: inputs * h }, () => random.normal() * Math.sqrt(2 / inputs)),
    b1: new Float64Array(h),
    w2: Float64Array.from({ length: h * experts }, () => random.normal() * 0.01),
    b2: new Float64Array(experts),
  };
  const signals = training.expertProbabilities.map(confidenceSignals);
  const params = [scorer.w1, scorer.b1, scorer.w2, scorer.b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const lr = training.learningRate ?? 0.01;
  for (let step = 0; step < training.steps; step++) {
    grads.forEach((g) => g.fill(0));
    for (const part of training.sampler(step, training.steps)) {
      const scale = part.weight / Math.max(1, part.indices.length);
      for (const row of part.indices) {
        const y = training.labels[row];
        const { weights, hidden } = scorerForward(scorer, signals[row]);
        const pY = training.expertProbabilities[row].map((p) => p[y]);
        const mixed = Math.max(1e-12, weights.reduce((sum, w, e) => sum + w * pY[e], 0));
        // L = -log sum_e w_e p_e[y]; dL/dw_e = -p_e[y] / mixed; through the softmax:
        // dL/ds_e = w_e (dL/dw_e - sum_j w_j dL/dw_j) = w_e (1 - p_e[y] / mixed).
        const ds = weights.map((w, e) => scale * w * (1 - pY[e] / mixed));
        const dHidden = new Float64Array(h);
        for (let j = 0; j < h; j++) {
          for (let e = 0; e < experts; e++) {
            grads[2][j * experts + e] += hidden[j] * ds[e];
            dHidden[j] += scorer.w2[j * experts + e] * ds[e];
          }
          if (hidden[j] <= 0) dHidden[j] = 0;
        }
        for (let e = 0; e < experts; e++) grads[3][e] += ds[e];
        for (let i = 0; i < inputs; i++) for (let j = 0; j < h; j++) grads[0][i * h + j] += signals[row][i] * dHidden[j];
        for (let j = 0; j < h; j++) grads[1][j] += dHidden[j];
      }
    }
    const t = step + 1;
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        m[k][i] = 0.9 * m[k][i] + 0.1 * grads[k][i];
        v[k][i] = 0.999 * v[k][i] + 0.001 * grads[k][i] ** 2;
        p[i] -= (lr * (m[k][i] / (1 - 0.9 ** t))) / (Math.sqrt(v[k][i] / (1 - 0.999 ** t)) + 1e-8);
      }
    });
  }
  return scorer;
}

/** p = sum_e w_e p_e, and the weights. */
export function mixPrediction(scorer: MoeScorer, expertProbabilities: ArrayLike<number>[]): { p: Float64Array; weights: Float64Array } {
  const { weights } = scorerForward(scorer, confidenceSignals(expertProbabilities));
  const classes = expertProbabilities[0].length;
  const p = new Float64Array(classes);
  expertProbabilities.forEach((pe, e) => {
    for (let c = 0; c < classes; c++) p[c] += weights[e] * pe[c];
  });
  return { p, weights };
}
