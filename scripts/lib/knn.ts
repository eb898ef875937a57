// k-nearest-neighbour label prediction on embeddings (cosine on mean-centred vectors: the encoder's
// ReLU features are all non-negative, so raw cosines crowd near 1).

export interface LabelledRow {
  row: number;
  label: string;
}

export function knnAccuracy(matrix: Float32Array, dim: number, reference: LabelledRow[], queries: LabelledRow[], k: number): number {
  if (queries.length === 0) return 0;
  const rows = reference.length + queries.length;
  const mean = new Float64Array(dim);
  for (const { row } of [...reference, ...queries]) for (let j = 0; j < dim; j++) mean[j] += matrix[row * dim + j] / rows;
  const unit = (row: number): Float64Array => {
    const v = new Float64Array(dim);
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      v[j] = matrix[row * dim + j] - mean[j];
      norm += v[j] * v[j];
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < dim; j++) v[j] /= norm;
    return v;
  };
  const refs = reference.map((r) => ({ label: r.label, v: unit(r.row) }));
  let correct = 0;
  for (const query of queries) {
    const q = unit(query.row);
    const nearest = refs
      .map((r) => ({ label: r.label, sim: r.v.reduce((sum, x, j) => sum + x * q[j], 0) }))
      .sort((a, b) => b.sim - a.sim)
      .slice(0, k);
    const votes = new Map<string, number>();
    for (const n of nearest) votes.set(n.label, (votes.get(n.label) ?? 0) + 1);
    const predicted = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (predicted === query.label) correct++;
  }
  return correct / queries.length;
}
