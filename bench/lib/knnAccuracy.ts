// Cosine k-NN accuracy of test images against a labelled pool. Callers centre both on the pool
// mean and scale rows to unit length first (core/math/vectorRows: centredUnitRows), so a dot
// product is a cosine.

export interface KnnAccuracy {
  /** k -> share of test rows whose k nearest pool rows vote for the right class (ties: the nearer class). */
  [k: number]: number;
}

/** Accuracy for each k in ks; votes are counted, ties broken by summed similarity. */
export function knnAccuracy(
  pool: Float32Array, poolLabels: Int32Array, test: Float32Array, testLabels: Int32Array, dim: number, ks: number[],
): KnnAccuracy {
  const poolCount = poolLabels.length;
  const classes = Math.max(...poolLabels, ...testLabels) + 1;
  const maxK = Math.max(...ks);
  const correct = new Map(ks.map((k) => [k, 0]));
  const similarity = new Float32Array(poolCount);
  const order = new Int32Array(poolCount);
  for (let t = 0; t < testLabels.length; t++) {
    const query = test.subarray(t * dim, (t + 1) * dim);
    for (let i = 0; i < poolCount; i++) {
      let dot = 0;
      const offset = i * dim;
      for (let d = 0; d < dim; d++) dot += query[d] * pool[offset + d];
      similarity[i] = dot;
      order[i] = i;
    }
    const nearest = Array.from(order).sort((a, b) => similarity[b] - similarity[a]).slice(0, maxK);
    for (const k of ks) {
      const votes = new Float64Array(classes);
      const weight = new Float64Array(classes);
      for (const i of nearest.slice(0, k)) {
        votes[poolLabels[i]] += 1;
        weight[poolLabels[i]] += similarity[i];
      }
      let best = 0;
      for (let c = 1; c < classes; c++) {
        if (votes[c] > votes[best] || (votes[c] === votes[best] && weight[c] > weight[best])) best = c;
      }
      if (best === testLabels[t]) correct.set(k, (correct.get(k) as number) + 1);
    }
  }
  const result: KnnAccuracy = {};
  for (const k of ks) result[k] = (correct.get(k) as number) / testLabels.length;
  return result;
}
