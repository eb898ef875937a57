// A linear classifier on frozen embeddings: logits = x . W (+ b), or, as a cosine classifier,
// logits = scale * cos(x, w_c), which keeps rare classes' weight vectors from shrinking next to the
// frequent ones' (the long-tail setting). Weights are [width, classes], row-major.
import { softmaxInto } from './probabilities';
import type { VectorRows } from './vectorRows';

export interface LinearHead {
  width: number;
  classes: number;
  weights: Float32Array;
  bias: Float32Array | null;
  /** Set for a cosine classifier: the logit of a perfect match. */
  cosineScale: number | null;
}

export function zeroHead(width: number, classes: number, withBias: boolean, cosineScale: number | null): LinearHead {
  return { width, classes, weights: new Float32Array(width * classes), bias: withBias ? new Float32Array(classes) : null, cosineScale };
}

export function copyHead(head: LinearHead): LinearHead {
  return { ...head, weights: head.weights.slice(), bias: head.bias ? head.bias.slice() : null };
}

/** L2 norm of each class column (used by the cosine classifier). */
export function columnNorms(head: LinearHead): Float64Array {
  const norms = new Float64Array(head.classes);
  for (let k = 0; k < head.width; k++) {
    for (let c = 0; c < head.classes; c++) {
      const w = head.weights[k * head.classes + c];
      norms[c] += w * w;
    }
  }
  for (let c = 0; c < head.classes; c++) norms[c] = Math.sqrt(norms[c]) || 1;
  return norms;
}

/**
 * Logits of row `row` of `x` into `out`. For a cosine classifier `norms` must be columnNorms(head)
 * and the rows must already have unit length (centredUnitRows).
 */
export function logitsInto(head: LinearHead, x: VectorRows, row: number, out: Float64Array, norms?: Float64Array): Float64Array {
  const { width, classes, weights } = head;
  out.fill(0);
  const base = row * width;
  for (let k = 0; k < width; k++) {
    const v = x.data[base + k];
    if (v === 0) continue;
    const wRow = k * classes;
    for (let c = 0; c < classes; c++) out[c] += v * weights[wRow + c];
  }
  if (head.cosineScale !== null) {
    const n = norms ?? columnNorms(head);
    for (let c = 0; c < classes; c++) out[c] *= head.cosineScale / n[c];
  }
  if (head.bias) for (let c = 0; c < classes; c++) out[c] += head.bias[c];
  return out;
}

/** Class probabilities for every row: [rows, classes], row-major. */
export function predictProbabilities(head: LinearHead, x: VectorRows): Float64Array {
  const out = new Float64Array(x.rows * head.classes);
  const logits = new Float64Array(head.classes);
  const norms = head.cosineScale !== null ? columnNorms(head) : undefined;
  for (let r = 0; r < x.rows; r++) {
    logitsInto(head, x, r, logits, norms);
    softmaxInto(logits, out.subarray(r * head.classes, (r + 1) * head.classes));
  }
  return out;
}
