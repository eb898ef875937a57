// Trains a LinearHead with Adam on mini-batches from a BatchSampler. The loss is any SoftmaxLoss,
// so the same loop trains a CE teacher, a partial-label student and a class-balanced expert.
// Deterministic: the same inputs, sampler and seed give the same weights.
import { columnNorms, copyHead, logitsInto, zeroHead, type LinearHead } from './linearHead';
import { instanceSampler, type BatchSampler } from './batchSamplers';
import { softmaxInto } from './probabilities';
import { SeededRandom } from './seededRandom';
import type { SoftmaxLoss } from './softmaxLosses';
import type { VectorRows } from './vectorRows';

export interface LinearTrainingOptions {
  classes: number;
  seed: number;
  /** Optimisation steps (mini-batches). */
  steps: number;
  batchSize?: number;
  learningRate?: number;
  /** L2 penalty on the weights (not the bias); ignored by the scale-free cosine classifier. */
  weightDecay?: number;
  bias?: boolean;
  /** Cosine classifier with this scale instead of a plain dot product. */
  cosineScale?: number;
  /** Start from these weights (a student starts from its teacher). */
  init?: LinearHead;
  /** Default: instance-balanced shuffled mini-batches. */
  sampler?: BatchSampler;
  signal?: AbortSignal;
}

export const LINEAR_DEFAULTS = { batchSize: 64, learningRate: 0.01, weightDecay: 1e-4 };

export function trainLinearHead(x: VectorRows, loss: SoftmaxLoss, options: LinearTrainingOptions): LinearHead {
  const { classes, steps } = options;
  const batchSize = options.batchSize ?? LINEAR_DEFAULTS.batchSize;
  const learningRate = options.learningRate ?? LINEAR_DEFAULTS.learningRate;
  const cosineScale = options.cosineScale ?? null;
  const weightDecay = cosineScale !== null ? 0 : (options.weightDecay ?? LINEAR_DEFAULTS.weightDecay);
  const random = new SeededRandom(options.seed);
  const head = options.init ? copyHead(options.init) : zeroHead(x.width, classes, options.bias ?? false, cosineScale);
  if (!options.init && cosineScale !== null) {
    // A cosine classifier cannot start at zero (its columns must have a direction).
    for (let i = 0; i < head.weights.length; i++) head.weights[i] = random.normal() * 0.01;
  }
  const sampler = options.sampler ?? instanceSampler(x.rows, batchSize, random);
  const { width } = x;
  const gradW = new Float64Array(width * classes);
  const gradB = new Float64Array(classes);
  const adamW = new AdamState(width * classes);
  const adamB = new AdamState(classes);
  const logits = new Float64Array(classes);
  const p = new Float64Array(classes);
  const dz = new Float64Array(classes);
  // Cosine classifier: per-class sums of dL/dz_c * (x . w_c), for the part of the gradient along w_c.
  const alongW = new Float64Array(classes);

  for (let step = 0; step < steps; step++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    gradW.fill(0);
    gradB.fill(0);
    alongW.fill(0);
    const norms = cosineScale !== null ? columnNorms(head) : undefined;
    for (const part of sampler(step, steps)) {
      const scale = part.weight / Math.max(1, part.indices.length);
      for (const row of part.indices) {
        logitsInto(head, x, row, logits, norms);
        softmaxInto(logits, p);
        loss(p, row, dz);
        for (let c = 0; c < classes; c++) {
          dz[c] *= scale;
          gradB[c] += dz[c];
        }
        if (norms) {
          // logits_c = s * dot_c / n_c (+ b_c): recover dot_c to weigh the radial part.
          for (let c = 0; c < classes; c++) {
            const dot = ((logits[c] - (head.bias ? head.bias[c] : 0)) * norms[c]) / cosineScale!;
            alongW[c] += dz[c] * dot;
            dz[c] *= cosineScale! / norms[c];
          }
        }
        const base = row * width;
        for (let k = 0; k < width; k++) {
          const v = x.data[base + k];
          if (v === 0) continue;
          const gRow = k * classes;
          for (let c = 0; c < classes; c++) gradW[gRow + c] += v * dz[c];
        }
      }
    }
    if (norms) {
      // d(w_c / n_c)/dw_c removes the component along w_c: subtract (s / n_c^3) * alongW_c * w_c.
      for (let k = 0; k < width; k++) {
        for (let c = 0; c < classes; c++) gradW[k * classes + c] -= ((cosineScale! / norms[c] ** 3) * alongW[c]) * head.weights[k * classes + c];
      }
    }
    if (weightDecay > 0) for (let i = 0; i < gradW.length; i++) gradW[i] += weightDecay * head.weights[i];
    adamW.step(head.weights, gradW, learningRate);
    if (head.bias) adamB.step(head.bias, gradB, learningRate);
  }
  return head;
}

class AdamState {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(weights: Float32Array, gradient: Float64Array, learningRate: number): void {
    const beta1 = 0.9;
    const beta2 = 0.999;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let i = 0; i < weights.length; i++) {
      const g = gradient[i];
      this.m[i] = beta1 * this.m[i] + (1 - beta1) * g;
      this.v[i] = beta2 * this.v[i] + (1 - beta2) * g * g;
      weights[i] -= (learningRate * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + 1e-8);
    }
  }
}
