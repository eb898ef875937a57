// How good a set of picked images is as training labels: the two scores every selection table
// reports. Both are deterministic for given picks.
// - Linear probe: softmax regression trained on the picks' embeddings with their true classes,
//   scored on a separate test split.
// - 1-NN: each test image takes the class of its nearest pick (cosine on centred embeddings).
import type { VectorRows } from '../../src/core/select/types';

export interface LabelledRows {
  rows: VectorRows;
  labels: Int32Array;
}

function classCount(...labelSets: Int32Array[]): number {
  let max = 0;
  for (const set of labelSets) for (const label of set) max = Math.max(max, label);
  return max + 1;
}

/**
 * Softmax regression on centred embeddings scaled to unit RMS, zero init, full-batch Adam with
 * L2 weight decay, fixed steps: the same picks always give the same probe.
 */
export function probeAccuracy(train: VectorRows, labels: Int32Array, test: LabelledRows, mean: Float64Array): number {
  const CLASSES = classCount(test.labels, labels);
  const { width } = train;
  let sumSq = 0;
  const x = Float32Array.from(train.data, (v, i) => v - mean[i % width]);
  for (const v of x) sumSq += v * v;
  const scale = Math.sqrt(sumSq / Math.max(1, x.length)) || 1;
  for (let i = 0; i < x.length; i++) x[i] /= scale;
  const w = new Float64Array(width * CLASSES);
  const b = new Float64Array(CLASSES);
  const mW = new Float64Array(w.length);
  const vW = new Float64Array(w.length);
  const mB = new Float64Array(CLASSES);
  const vB = new Float64Array(CLASSES);
  const steps = 150;
  const rate = 0.01;
  const decay = 1e-3;
  const n = train.rows;
  for (let step = 1; step <= steps; step++) {
    const gW = new Float64Array(w.length);
    const gB = new Float64Array(CLASSES);
    for (let i = 0; i < n; i++) {
      const p = softmaxRow(x, i * width, w, b, width);
      p[labels[i]] -= 1;
      for (let c = 0; c < CLASSES; c++) gB[c] += p[c] / n;
      for (let k = 0; k < width; k++) {
        const xv = x[i * width + k] / n;
        if (xv === 0) continue;
        for (let c = 0; c < CLASSES; c++) gW[k * CLASSES + c] += xv * p[c];
      }
    }
    const c1 = 1 - 0.9 ** step;
    const c2 = 1 - 0.999 ** step;
    for (let j = 0; j < w.length; j++) {
      const g = gW[j] + decay * w[j];
      mW[j] = 0.9 * mW[j] + 0.1 * g;
      vW[j] = 0.999 * vW[j] + 0.001 * g * g;
      w[j] -= (rate * mW[j]) / c1 / (Math.sqrt(vW[j] / c2) + 1e-8);
    }
    for (let c = 0; c < CLASSES; c++) {
      mB[c] = 0.9 * mB[c] + 0.1 * gB[c];
      vB[c] = 0.999 * vB[c] + 0.001 * gB[c] * gB[c];
      b[c] -= (rate * mB[c]) / c1 / (Math.sqrt(vB[c] / c2) + 1e-8);
    }
  }
  let correct = 0;
  const row = new Float32Array(width);
  for (let i = 0; i < test.rows.rows; i++) {
    for (let k = 0; k < width; k++) row[k] = (test.rows.data[i * width + k] - mean[k]) / scale;
    const p = softmaxRow(row, 0, w, b, width);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (p[c] > p[best]) best = c;
    if (best === test.labels[i]) correct++;
  }
  return correct / test.rows.rows;
}

function softmaxRow(x: Float32Array, start: number, w: Float64Array, b: Float64Array, width: number): Float64Array {
  const CLASSES = b.length;
  const z = Float64Array.from(b);
  for (let k = 0; k < width; k++) {
    const v = x[start + k];
    if (v === 0) continue;
    for (let c = 0; c < CLASSES; c++) z[c] += v * w[k * CLASSES + c];
  }
  const max = Math.max(...z);
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) sum += z[c] = Math.exp(z[c] - max);
  for (let c = 0; c < CLASSES; c++) z[c] /= sum;
  return z;
}

/** Test accuracy of the 1-nearest-pick rule, cosine similarity after subtracting `mean`. */
export function nearestPickAccuracy(train: VectorRows, labels: Int32Array, test: LabelledRows, mean: Float64Array): number {
  const { width } = train;
  const unit = (data: Float32Array, row: number): Float32Array => {
    const v = new Float32Array(width);
    let norm = 0;
    for (let k = 0; k < width; k++) {
      v[k] = data[row * width + k] - mean[k];
      norm += v[k] * v[k];
    }
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < width; k++) v[k] *= s;
    return v;
  };
  const picks = Array.from({ length: train.rows }, (_, i) => unit(train.data, i));
  let correct = 0;
  for (let i = 0; i < test.rows.rows; i++) {
    const q = unit(test.rows.data, i);
    let best = -Infinity;
    let label = -1;
    picks.forEach((p, j) => {
      let s = 0;
      for (let k = 0; k < width; k++) s += p[k] * q[k];
      if (s > best) {
        best = s;
        label = labels[j];
      }
    });
    if (label === test.labels[i]) correct++;
  }
  return correct / test.rows.rows;
}
