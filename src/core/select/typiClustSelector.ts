// TypiClust (Hacohen, Dekel, Weinshall, "Active Learning on a Budget", ICML 2022): cluster every
// embedding (labelled images included) into labelled + budget clusters, then take, from the
// largest clusters that hold no labelled or already picked image, the most typical point
// (1 / mean distance to its 20 nearest neighbours). Distances are cosine, in the embeddings' top
// 128 principal directions, whitened without labels when a few dominate (selectionSpace.ts). Where
// the neighbours are sought follows the space (TypicalityScope below). Labelled images count: the
// clusters they fall in are covered already. Clusters of fewer than MIN_CLUSTER_SIZE images
// (outliers) come after every larger cluster at the same coverage; when every cluster is covered,
// picking continues in the least covered, largest ones. See METHODS.md, "Cold start".
import { kMeans } from '../math/kMeans';
import { throwIfAborted } from '../util/concurrency';
import { reducedSelectionSpace } from './selectionSpace';
import { typicalityInGroup } from './typicality';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export const MIN_CLUSTER_SIZE = 5;
export const TYPICLUST_DIMS = 128;
/**
 * TypiClust clusters and measures typicality in the top principal directions, whitened with this
 * shrinkage when a few of them dominate the spread (selectionSpace.ts says when and why). Shrinkage
 * 3 did as well as or better than 1 and 10 on cifar10-dev with the bundled encoder.
 */
export const TYPICLUST_WHITEN_SHRINKAGE = 3;

/**
 * Where a point's 20 nearest neighbours are sought for its typicality: among the members of its
 * cluster (the paper's definition), in the whole pool, or in the cluster when the space was
 * whitened and in the pool when not (the default). On cifar10-dev (bench/results/
 * selection-photos-*.md) the bundled encoder's space is whitened, and there the pool's densest
 * point of a cluster was often on its border with a denser neighbour; neighbours inside the
 * cluster lifted TypiClust's gain over random at 50 labels from +1.6 to +3.7 points (seeds 1-3),
 * +3.3 to +5.7 (seeds 1-6) and +2.8 to +4.3 (seeds 7-24). The reference encoder's space is not
 * whitened, and there the pool did better at 20 and 50 labels on seeds 1-3 (+7.2 / +4.4 against
 * +6.1 / +3.2). The split follows the whitening switch because that is what tells the two spaces
 * apart without labels; two encoders are thin evidence for it.
 */
export type TypicalityScope = 'cluster' | 'pool' | 'cluster-when-whitened';

export class TypiClustSelector implements Selector {
  readonly method = 'typiclust' as const;

  /**
   * dims: cluster and measure typicality in the top principal directions of the embeddings (won
   * on photographs against the full width: typiclust against typiclust-full).
   * typicality: where neighbours are sought (TypicalityScope); in the cluster when not given.
   */
  constructor(private readonly space: { dims?: number; typicality?: TypicalityScope; whitenShrinkage?: number } = { dims: TYPICLUST_DIMS, typicality: 'cluster-when-whitened', whitenShrinkage: TYPICLUST_WHITEN_SHRINKAGE }) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const budget = Math.min(Math.max(0, Math.floor(options.budget)), pool.unlabelled.rows);
    if (budget === 0) return [];
    const space = await reducedSelectionSpace(pool, { dims: this.space.dims, whitenShrinkage: this.space.whitenShrinkage, kernels: options.kernels, seed: options.seed, signal: options.signal });
    const { candidates } = space;
    const total = space.rows.rows;
    const clusters = await kMeans(space.rows, pool.labelled.rows + budget, { kernels: options.kernels, seed: options.seed, signal: options.signal });
    const { k, assignment } = clusters;
    const members: number[][] = Array.from({ length: k }, () => []);
    const covered = new Int32Array(k);
    for (let i = 0; i < total; i++) {
      members[assignment[i]].push(i);
      if (i >= candidates) covered[assignment[i]]++;
    }
    const size = members.map((m) => m.length);
    const remaining = members.map((m) => m.filter((i) => i < candidates));
    const typicality = new Float64Array(total);
    const scored = new Uint8Array(k);
    const scope = this.space.typicality ?? 'cluster';
    if (scope === 'pool' || (scope === 'cluster-when-whitened' && !space.whitened)) {
      typicality.set(await typicalityInGroup(space.rows, Array.from({ length: total }, (_, i) => i), options.kernels, options.seed));
      scored.fill(1);
    }
    const picks: SelectedItem[] = [];
    while (picks.length < budget) {
      let best = -1;
      for (let c = 0; c < k; c++) {
        if (remaining[c].length === 0) continue;
        if (best < 0 || precedes(c, best, covered, size)) best = c;
      }
      if (best < 0) break;
      // Typicality is computed among all members of the cluster (labelled ones included), once.
      if (!scored[best]) {
        const all = await typicalityInGroup(space.rows, members[best], options.kernels, options.seed + best);
        members[best].forEach((row, j) => (typicality[row] = all[j]));
        scored[best] = 1;
        throwIfAborted(options.signal);
      }
      const scores = typicality;
      let chosenAt = 0;
      for (let j = 1; j < remaining[best].length; j++) if (scores[remaining[best][j]] > scores[remaining[best][chosenAt]]) chosenAt = j;
      const index = remaining[best][chosenAt];
      remaining[best].splice(chosenAt, 1);
      picks.push({ index, score: scores[index], why: { typicality: scores[index], clusterSize: size[best], alreadyInCluster: covered[best] } });
      covered[best]++;
    }
    return picks;
  }
}

/** Cluster a goes before b: less covered, then not tiny, then larger, then lower id. */
function precedes(a: number, b: number, covered: Int32Array, size: number[]): boolean {
  if (covered[a] !== covered[b]) return covered[a] < covered[b];
  const tinyA = size[a] < MIN_CLUSTER_SIZE;
  const tinyB = size[b] < MIN_CLUSTER_SIZE;
  if (tinyA !== tinyB) return tinyB;
  if (size[a] !== size[b]) return size[a] > size[b];
  return a < b;
}
