// ProbCover (Yehuda, Dekel, Hacohen, Weinshall, "Active Learning Through a Covering Lens",
// NeurIPS 2022): choose delta without labels by the purity rule (deltaBallGraph.ts), build the
// delta-ball graph on the embeddings, and greedily pick the candidate whose ball covers the most
// points not covered yet. Labelled images' balls are covered from the start. Once everything is
// covered, the rest of the budget is drawn uniformly at random (seeded), as in the paper.
// Gains only fall as points get covered, so the greedy step keeps candidates in a max-heap and
// refreshes a stale entry when it reaches the top (lazy greedy): the same picks as scanning every
// candidate for the largest gain (ties: lowest index), without that scan at each of B picks.
import { kMeans } from '../math/kMeans';
import { SeededRandom } from '../math/seededRandom';
import type { VectorRows } from '../math/vectorRows';
import { throwIfAborted } from '../util/concurrency';
import { cellDeltaBallGraph, deltaBallGraph, EXACT_GRAPH_ROWS, GraphTooLargeError, purityDelta, type DeltaBallGraph } from './deltaBallGraph';
import { MaxHeap } from './maxHeap';
import { reducedSelectionSpace } from './selectionSpace';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

/** What ProbCover covers: the rows it measures in, delta by the purity rule, and the delta-ball graph (at a halved delta when the bound demands). */
export interface CoverageGraph {
  rows: VectorRows;
  candidates: number;
  pureDelta: number;
  graph: DeltaBallGraph;
}

/** Pseudo-classes for the purity rule when the labels name fewer than two classes. */
export const DEFAULT_PSEUDO_CLASSES = 10;
/** Width ProbCover works at above EXACT_GRAPH_ROWS images (full width below: it picked better there on photographs). */
export const LARGE_POOL_DIMS = 128;
const MAX_DELTA_HALVINGS = 8;

export class ProbCoverSelector implements Selector {
  readonly method = 'probcover' as const;

  /** dims: pick in the top principal directions of the embeddings instead of the full width. */
  constructor(private readonly space: { dims?: number } = {}) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const budget = Math.min(Math.max(0, Math.floor(options.budget)), pool.unlabelled.rows);
    if (budget === 0) return [];
    const { rows, candidates, pureDelta, graph } = await this.coverageGraph(pool, options);
    const n = rows.rows;
    const { delta } = graph;
    const { offsets, neighbours } = graph;

    // gain[i]: points in i's ball not covered yet. Covering v lowers the gain of every ball
    // holding v, which (the graph being symmetric) are v's own neighbours.
    const gain = new Int32Array(n);
    for (let i = 0; i < n; i++) gain[i] = offsets[i + 1] - offsets[i];
    const covered = new Uint8Array(n);
    const cover = (centre: number): number => {
      let fresh = 0;
      for (let e = offsets[centre]; e < offsets[centre + 1]; e++) {
        const v = neighbours[e];
        if (covered[v]) continue;
        covered[v] = 1;
        fresh++;
        for (let f = offsets[v]; f < offsets[v + 1]; f++) gain[neighbours[f]]--;
      }
      return fresh;
    };
    for (let labelled = candidates; labelled < n; labelled++) cover(labelled);
    throwIfAborted(options.signal);

    const taken = new Uint8Array(candidates);
    const picks: SelectedItem[] = [];
    const random = new SeededRandom(options.seed);
    // Heap keys order by gain, then by lower index; a key is refreshed when its gain has fallen.
    const key = (i: number): number => gain[i] * (candidates + 1) + (candidates - i);
    const heap = new MaxHeap(candidates);
    for (let i = 0; i < candidates; i++) heap.push(key(i), i);
    while (picks.length < budget && heap.size > 0) {
      const stored = heap.peekKey();
      const best = heap.pop();
      if (stored !== key(best)) {
        heap.push(key(best), best);
        continue;
      }
      const ballSize = offsets[best + 1] - offsets[best];
      if (gain[best] <= 0) {
        // Everything within reach is covered: the paper fills the budget at random.
        const rest = Array.from({ length: candidates }, (_, i) => i).filter((i) => !taken[i]);
        for (const r of random.permutation(rest.length).slice(0, budget - picks.length)) {
          picks.push({ index: rest[r], score: 0, why: { newlyCovered: 0, ballSize: offsets[rest[r] + 1] - offsets[rest[r]], delta, ...(delta < pureDelta ? { purityDelta: pureDelta } : {}) } });
        }
        break;
      }
      taken[best] = 1;
      const fresh = cover(best);
      picks.push({ index: best, score: fresh, why: { newlyCovered: fresh, ballSize, delta, ...(delta < pureDelta ? { purityDelta: pureDelta } : {}) } });
    }
    return picks;
  }
  /** The space, delta and graph select() covers with; the scaling benchmark measures the graph's recall from it. */
  async coverageGraph(pool: SelectionPool, options: Omit<SelectionOptions, 'budget'>): Promise<CoverageGraph> {
    // Large pools: the (approximate) graph is built in the top principal directions.
    const large = pool.unlabelled.rows + pool.labelled.rows > EXACT_GRAPH_ROWS;
    const dims = this.space.dims ?? (large ? LARGE_POOL_DIMS : undefined);
    const { rows, candidates } = await reducedSelectionSpace(pool, { dims, kernels: options.kernels, seed: options.seed, signal: options.signal });
    const n = rows.rows;
    const pseudoClasses = pool.classNames.length >= 2 ? pool.classNames.length : DEFAULT_PSEUDO_CLASSES;
    const { assignment } = await kMeans(rows, pseudoClasses, { kernels: options.kernels, seed: options.seed, signal: options.signal });
    const pureDelta = await purityDelta(rows, assignment, options.kernels, options.seed, undefined, options.signal);
    // Tight groups of near-identical images can make pure balls hold thousands of points each: past
    // the memory bound, halve delta until the graph fits. The approximate graph of a large pool
    // tries every halving in one pass over its cells (deltaBallGraph.ts).
    let graph: DeltaBallGraph | undefined;
    if (n > EXACT_GRAPH_ROWS) graph = await cellDeltaBallGraph(rows, pureDelta, options.kernels, { seed: options.seed, signal: options.signal, halvings: MAX_DELTA_HALVINGS });
    for (let attempt = 0, tried = pureDelta; !graph; attempt++) {
      try {
        graph = await deltaBallGraph(rows, tried, options.kernels, options.signal, options.seed);
      } catch (error) {
        if (!(error instanceof GraphTooLargeError) || attempt >= MAX_DELTA_HALVINGS) throw error;
        tried /= 2;
      }
    }
    return { rows, candidates, pureDelta, graph };
  }
}
