// Agglomerative clustering with average linkage on cosine distance (SLR step 4). Points carry a
// weight (how many images share that exact vector): SLR's soft labels take at most
// C_t x (C_{t-1} + 1) distinct values, so clustering the distinct vectors with their counts is
// exact and costs nothing next to clustering every image. Lance-Williams update:
// d(k, i+j) = (w_i d(k, i) + w_j d(k, j)) / (w_i + w_j).

/** Cuts the tree when `clusters` groups remain or the closest pair is farther than `maxDistance`. */
export interface LinkageCut {
  clusters?: number;
  maxDistance?: number;
}

/** Returns each point's group, numbered 0.. in order of each group's first point. */
export function averageLinkage(points: Float64Array[], weights: number[], cut: LinkageCut): Int32Array {
  const n = points.length;
  const target = Math.max(1, cut.clusters ?? 1);
  const maxDistance = cut.maxDistance ?? Infinity;
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) distance[i * n + j] = distance[j * n + i] = cosineDistance(points[i], points[j]);
  const alive = new Array<boolean>(n).fill(true);
  const weight = [...weights];
  const owner = Int32Array.from({ length: n }, (_, i) => i);
  let groups = n;
  while (groups > target) {
    let bi = -1;
    let bj = -1;
    let best = Infinity;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (alive[j] && distance[i * n + j] < best) {
          best = distance[i * n + j];
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || best > maxDistance) break;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi || k === bj) continue;
      const merged = (weight[bi] * distance[k * n + bi] + weight[bj] * distance[k * n + bj]) / (weight[bi] + weight[bj]);
      distance[k * n + bi] = distance[bi * n + k] = merged;
    }
    weight[bi] += weight[bj];
    alive[bj] = false;
    for (let p = 0; p < n; p++) if (owner[p] === bj) owner[p] = bi;
    groups--;
  }
  const numbering = new Map<number, number>();
  return Int32Array.from(owner, (o) => {
    if (!numbering.has(o)) numbering.set(o, numbering.size);
    return numbering.get(o)!;
  });
}

export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? Math.max(0, 1 - dot / Math.sqrt(na * nb)) : 1;
}
