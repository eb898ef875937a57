// How two clusterings of the same images agree (adjusted Rand index) and how pure a clustering is
// against known classes: the figures SLR is judged by.

/** Hubert & Arabie's ARI: 1 for identical partitions (up to renaming), about 0 for chance. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return 1;
  const pairs = (x: number): number => (x * (x - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}:${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const count of table.values()) index += pairs(count);
  let rowPairs = 0;
  for (const count of rows.values()) rowPairs += pairs(count);
  let colPairs = 0;
  for (const count of cols.values()) colPairs += pairs(count);
  const expected = (rowPairs * colPairs) / pairs(n);
  const maximum = (rowPairs + colPairs) / 2;
  return maximum === expected ? 1 : (index - expected) / (maximum - expected);
}

/** Fraction of images whose class is their cluster's majority class. */
export function purity(clusters: ArrayLike<number>, classes: ArrayLike<number>): number {
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < clusters.length; i++) {
    const inCluster = counts.get(clusters[i]) ?? new Map<number, number>();
    inCluster.set(classes[i], (inCluster.get(classes[i]) ?? 0) + 1);
    counts.set(clusters[i], inCluster);
  }
  let majority = 0;
  for (const inCluster of counts.values()) majority += Math.max(...inCluster.values());
  return clusters.length > 0 ? majority / clusters.length : 1;
}
