// A linear probe: how well a softmax regression trained on a few labelled embeddings classifies a
// test set. Deterministic (zero init, full-batch Adam, fixed steps), so the same training rows
// always give the same figure.
import type { VectorRows } from '../../src/core/math/vectorRows';

const STEPS = 150;
const RATE = 0.01;
const WEIGHT_DECAY = 1e-3;

/**
 * Test accuracy of a probe trained on `train` (labels in 0..classes-1). Features are centred on
 * `mean` (the pool's) and scaled to unit RMS over the training rows.
 */
export function linearProbeAccuracy(
  train: VectorRows, trainLabels: Int32Array, test: VectorRows, testLabels: Int32Array, mean: Float64Array, classes: number,
): number {
  const { width } = train;
  const x = Float32Array.from(train.data, (v, i) => v - mean[i % width]);
  let sumSq = 0;
  for (const v of x) sumSq += v * v;
  const scale = Math.sqrt(sumSq / Math.max(1, x.length)) || 1;
  for (let i = 0; i < x.length; i++) x[i] /= scale;
  const w = new Float64Array(width * classes);
  const b = new Float64Array(classes);
  const adamW = { m: new Float64Array(w.length), v: new Float64Array(w.length) };
  const adamB = { m: new Float64Array(classes), v: new Float64Array(classes) };
  const n = train.rows;
  const gW = new Float64Array(w.length);
  const gB = new Float64Array(classes);
  for (let step = 1; step <= STEPS; step++) {
    gW.fill(0);
    gB.fill(0);
    for (let i = 0; i < n; i++) {
      const p = softmaxRow(x, i * width, w, b, width, classes);
      p[trainLabels[i]] -= 1;
      for (let c = 0; c < classes; c++) gB[c] += p[c] / n;
      for (let k = 0; k < width; k++) {
        const xv = x[i * width + k] / n;
        if (xv === 0) continue;
        for (let c = 0; c < classes; c++) gW[k * classes + c] += xv * p[c];
      }
    }
    for (let j = 0; j < w.length; j++) gW[j] += WEIGHT_DECAY * w[j];
    adamStep(w, gW, adamW, step);
    adamStep(b, gB, adamB, step);
  }
  let correct = 0;
  const row = new Float32Array(width);
  for (let i = 0; i < test.rows; i++) {
    for (let k = 0; k < width; k++) row[k] = (test.data[i * width + k] - mean[k]) / scale;
    const p = softmaxRow(row, 0, w, b, width, classes);
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[c] > p[best]) best = c;
    if (best === testLabels[i]) correct++;
  }
  return correct / test.rows;
}

function adamStep(params: Float64Array, gradient: Float64Array, state: { m: Float64Array; v: Float64Array }, step: number): void {
  const c1 = 1 - 0.9 ** step;
  const c2 = 1 - 0.999 ** step;
  for (let j = 0; j < params.length; j++) {
    const g = gradient[j];
    state.m[j] = 0.9 * state.m[j] + 0.1 * g;
    state.v[j] = 0.999 * state.v[j] + 0.001 * g * g;
    params[j] -= (RATE * state.m[j]) / c1 / (Math.sqrt(state.v[j] / c2) + 1e-8);
  }
}

function softmaxRow(x: Float32Array, start: number, w: Float64Array, b: Float64Array, width: number, classes: number): Float64Array {
  const z = Float64Array.from(b);
  for (let k = 0; k < width; k++) {
    const v = x[start + k];
    if (v === 0) continue;
    for (let c = 0; c < classes; c++) z[c] += v * w[k * classes + c];
  }
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, z[c]);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += z[c] = Math.exp(z[c] - max);
  for (let c = 0; c < classes; c++) z[c] /= sum;
  return z;
}
