// Small helpers on probability vectors, shared by every head that predicts classes.

/** Softmax of `logits` written into `out` (max-shifted so large logits do not overflow). */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) if (logits[c] > max) max = logits[c];
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    out[c] = Math.exp(logits[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < logits.length; c++) out[c] /= sum;
  return out;
}

export function softmax(logits: ArrayLike<number>): Float64Array {
  return softmaxInto(logits, new Float64Array(logits.length));
}

/** H(p) = -sum p log p, in nats. */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let c = 0; c < p.length; c++) if (p[c] > 0) h -= p[c] * Math.log(p[c]);
  return h;
}

/** Indices of the k largest entries, largest first; ties keep the lower index first. */
export function topIndices(p: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: p.length }, (_, i) => i);
  order.sort((a, b) => p[b] - p[a] || a - b);
  return order.slice(0, Math.min(k, p.length));
}

/** Largest probability minus the second largest (1 when there is a single class). */
export function margin(p: ArrayLike<number>): number {
  const [first, second] = topIndices(p, 2);
  return p[first] - (second === undefined ? 0 : p[second]);
}
