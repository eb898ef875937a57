// Losses on a softmax output, each as "loss of sample i and its gradient with respect to the
// logits", so one trainer serves plain, soft-target and partial-label training.

/** Writes dL/dz for sample `sample` with probabilities `p` into `gradient`; returns L. */
export type SoftmaxLoss = (p: Float64Array, sample: number, gradient: Float64Array) => number;

/** Cross-entropy against hard labels: dL/dz = p - onehot(y). */
export function crossEntropy(labels: Int32Array): SoftmaxLoss {
  return (p, sample, gradient) => {
    const y = labels[sample];
    for (let c = 0; c < p.length; c++) gradient[c] = p[c] - (c === y ? 1 : 0);
    return -Math.log(Math.max(p[y], 1e-12));
  };
}

/** Cross-entropy against a target distribution t: L = -sum_k t_k log p_k, dL/dz = p - t. */
export function softTargetCrossEntropy(targets: Float64Array, classes: number): SoftmaxLoss {
  return (p, sample, gradient) => {
    const t = targets.subarray(sample * classes, (sample + 1) * classes);
    let loss = 0;
    for (let k = 0; k < classes; k++) {
      if (t[k] !== 0) loss -= t[k] * Math.log(Math.max(p[k], 1e-12));
      gradient[k] = p[k] - t[k];
    }
    return loss;
  };
}

/**
 * Generalised cross-entropy (Zhang & Sabuncu 2018) against a target distribution t, per class:
 * L = sum_k t_k (1 - p_k^q) / q. It tends to CE as q -> 0 and to the (noise-robust) MAE at q = 1.
 * With p = softmax(z): dL/dz_j = -t_j p_j^q + p_j sum_k t_k p_k^q.
 * `targets` holds `classes` values per sample.
 */
export function generalisedCrossEntropy(targets: Float64Array, classes: number, q: number): SoftmaxLoss {
  return (p, sample, gradient) => {
    const t = targets.subarray(sample * classes, (sample + 1) * classes);
    let loss = 0;
    let weighted = 0;
    for (let k = 0; k < classes; k++) {
      if (t[k] === 0) continue;
      const pq = Math.pow(Math.max(p[k], 1e-12), q);
      loss += (t[k] * (1 - pq)) / q;
      weighted += t[k] * pq;
    }
    for (let j = 0; j < classes; j++) {
      const pq = t[j] === 0 ? 0 : Math.pow(Math.max(p[j], 1e-12), q);
      gradient[j] = -t[j] * pq + p[j] * weighted;
    }
    return loss;
  };
}

/**
 * Partial-label GCE over a candidate set S: L = (1 - P^q) / q with P = sum_{k in S} p_k, the
 * probability the model gives to the set as a whole. Unlike per-class GCE on a two-hot target it
 * is minimised by any split of the mass inside S, so the model may settle on one candidate.
 * With p = softmax(z): dL/dz_j = P^(q-1) p_j (P - [j in S]).
 * `candidates` holds `classes` flags per sample (non-zero = in the set).
 */
export function candidateSetGce(candidates: Uint8Array, classes: number, q: number): SoftmaxLoss {
  return (p, sample, gradient) => {
    const inSet = candidates.subarray(sample * classes, (sample + 1) * classes);
    let mass = 0;
    for (let k = 0; k < classes; k++) if (inSet[k] !== 0) mass += p[k];
    mass = Math.max(mass, 1e-12);
    const scale = Math.pow(mass, q - 1);
    for (let j = 0; j < classes; j++) gradient[j] = scale * p[j] * (mass - (inSet[j] !== 0 ? 1 : 0));
    return (1 - Math.pow(mass, q)) / q;
  };
}
