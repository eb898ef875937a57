// The selection loop FreeSel and k-center greedy share: every pool item owns one or more unit
// vectors ("patterns"); D(p) is the cosine distance from pattern p to the nearest pattern of an
// already selected item; each step picks an item by D (proportional to D^2, or the argmax) and
// lowers D with the new item's patterns.
//
// Updating D for the whole pool after every pick is a matrix-vector product per pick: memory-bound
// and slow. Instead D is kept as an upper bound that is refreshed with a batch of recent picks at
// once (one blocked matrix product through MatrixKernels), and each candidate's exact D is checked
// against the few picks since the last refresh before it is taken:
// - D^2 sampling: a candidate drawn in proportion to the stale D^2 is accepted with probability
//   (exact D)^2 / (stale D)^2. That is rejection sampling, so picks follow exactly the D^2 rule.
// - farthest-first: lazy greedy; a popped candidate whose exact D is still at least every other
//   upper bound is the true argmax, otherwise it goes back with a tighter upper bound. Most popped
//   candidates lose, so their check stops at the first recent pick that brings them below the next
//   heap key (the partial minimum is still an upper bound), and resumes there if popped again;
//   a candidate with many recent picks left to check is checked, with the next heap entries, in
//   one kernel call. Checking every candidate against all recent picks with scalar dot products
//   was most of k-center's time at 100k x 1280.
import { MaxHeap } from './maxHeap';
import type { MatrixKernels } from '../math/matrixKernels';
import type { SeededRandom } from '../math/seededRandom';
import type { PatternSets, VectorRows } from './types';
import { dot } from '../math/vectorRows';
import { throwIfAborted } from '../util/concurrency';

export type CoverageRule = 'd2-sampling' | 'farthest-first';

export interface CoveragePick {
  item: number;
  /** D of the pattern that won, at the moment it was picked; undefined for a first pick made uniformly at random. */
  distance: number | undefined;
}

export interface CoverageOptions {
  budget: number;
  random: SeededRandom;
  kernels: MatrixKernels;
  signal?: AbortSignal;
  /** Picks collected before D is refreshed for the whole pool. */
  refreshEvery?: number;
  /**
   * Farthest-first: candidates checked together in one kernel call when one has many recent picks
   * to be checked against (default CHECK_BATCH); 0 checks each with scalar dot products.
   */
  checkBatch?: number;
}

/** Query rows sent to the distance kernel at once when seeding D from already-covered patterns. */
const SEED_QUERY_BLOCK = 256;
const DEFAULT_REFRESH_EVERY = 32;
/** Consecutive rejections after which a refresh is cheaper than more candidate checks. */
const MAX_REJECTIONS = 64;
/**
 * Farthest-first: a candidate with more unchecked recent picks than this is checked in a batch with
 * the next heap entries through the distance kernel instead of with scalar dot products.
 */
const SCALAR_CHECK_LIMIT = 4;
const CHECK_BATCH = 64;

/**
 * Picks up to `budget` items from `pool` (unit-length pattern rows). Patterns in `covered` (for
 * example labelled images) count as selected from the start.
 */
export async function selectByCoverage(pool: PatternSets, covered: VectorRows | undefined, rule: CoverageRule, options: CoverageOptions): Promise<CoveragePick[]> {
  const { vectors, offsets } = pool;
  const items = offsets.length - 1;
  const budget = Math.min(Math.max(0, Math.floor(options.budget)), items);
  const picks: CoveragePick[] = [];
  if (budget === 0) return picks;
  const { width, rows: patternCount } = vectors;
  const owner = new Int32Array(patternCount);
  for (let item = 0; item < items; item++) owner.fill(item, offsets[item], offsets[item + 1]);
  const selected = new Uint8Array(items);
  const refreshEvery = Math.max(1, options.refreshEvery ?? DEFAULT_REFRESH_EVERY);

  // Every distance is at most 2; 3 marks "nothing selected yet".
  let upper: Float32Array = new Float32Array(patternCount).fill(3);
  if (covered && covered.rows > 0) {
    for (let start = 0; start < covered.rows; start += SEED_QUERY_BLOCK) {
      const count = Math.min(SEED_QUERY_BLOCK, covered.rows - start);
      upper = await options.kernels.minCosineDistance(vectors.data, patternCount, width, covered.data.subarray(start * width, (start + count) * width), count, upper);
      throwIfAborted(options.signal);
    }
  }

  // Patterns of items picked since the last refresh, row-major.
  let pendingRows: Float32Array = new Float32Array(0);
  let pendingCount = 0;
  const takeItem = (item: number, distance: number | undefined): void => {
    selected[item] = 1;
    picks.push({ item, distance });
    const start = offsets[item];
    const end = offsets[item + 1];
    const grown = new Float32Array((pendingCount + end - start) * width);
    grown.set(pendingRows.subarray(0, pendingCount * width));
    grown.set(vectors.data.subarray(start * width, end * width), pendingCount * width);
    pendingRows = grown;
    pendingCount += end - start;
  };
  const exactDistance = (pattern: number): number => {
    if (selected[owner[pattern]]) return 0;
    let d = upper[pattern];
    for (let q = 0; q < pendingCount; q++) d = Math.min(d, 1 - dot(vectors.data, pattern * width, pendingRows, q * width, width));
    return Math.max(0, d);
  };
  // farthest-first only: how many of the pending rows upper[pattern] already includes.
  const checkedPending = rule === 'farthest-first' ? new Int32Array(patternCount) : new Int32Array(0);
  /**
   * Lowers upper[pattern] with the pending rows it has not seen, stopping early once it falls below
   * `threshold` (the caller then knows the candidate loses). Returns the new upper bound, exact
   * when it is at least `threshold`.
   */
  const tightenUpper = (pattern: number, threshold: number): number => {
    if (selected[owner[pattern]]) return 0;
    let d = upper[pattern];
    let q = checkedPending[pattern];
    while (q < pendingCount && d >= threshold) {
      d = Math.min(d, 1 - dot(vectors.data, pattern * width, pendingRows, q * width, width));
      q++;
    }
    upper[pattern] = d;
    checkedPending[pattern] = q;
    return Math.max(0, d);
  };
  let picksSinceRefresh = 0;
  const refresh = async (): Promise<void> => {
    if (pendingCount > 0) upper = await options.kernels.minCosineDistance(vectors.data, patternCount, width, pendingRows, pendingCount, upper);
    for (let p = 0; p < patternCount; p++) if (selected[owner[p]] || upper[p] < 0) upper[p] = 0;
    pendingRows = new Float32Array(0);
    pendingCount = 0;
    checkedPending.fill(0);
    picksSinceRefresh = 0;
    throwIfAborted(options.signal);
  };

  if (!covered || covered.rows === 0) {
    // Nothing is selected yet: the first item is uniform at random (the paper's rule for both variants).
    takeItem(options.random.int(items), undefined);
    await refresh();
  }

  const pickUncovered = (): void => {
    // Only exact duplicates of selected items remain (D = 0 everywhere): take them in random order.
    const rest = [];
    for (let item = 0; item < items; item++) if (!selected[item]) rest.push(item);
    takeItem(rest[options.random.int(rest.length)], 0);
  };

  if (rule === 'd2-sampling') {
    let cumulative = cumulativeSquares(upper);
    let rejections = 0;
    while (picks.length < budget) {
      const total = cumulative[patternCount - 1];
      if (!(total > 0)) {
        pickUncovered();
        continue;
      }
      const pattern = searchCumulative(cumulative, options.random.next() * total);
      const stale = upper[pattern];
      const exact = exactDistance(pattern);
      if (options.random.next() * stale * stale < exact * exact) {
        takeItem(owner[pattern], exact);
        picksSinceRefresh++;
        rejections = 0;
      } else {
        rejections++;
      }
      if (picks.length < budget && (picksSinceRefresh >= refreshEvery || rejections >= MAX_REJECTIONS)) {
        await refresh();
        cumulative = cumulativeSquares(upper);
        rejections = 0;
      }
    }
    return picks;
  }

  const heap = new MaxHeap(patternCount);
  const checkBatch = Math.max(0, Math.floor(options.checkBatch ?? CHECK_BATCH));
  const rebuildHeap = (): void => {
    heap.clear();
    for (let p = 0; p < patternCount; p++) if (upper[p] > 0) heap.push(upper[p], p);
  };
  rebuildHeap();
  /**
   * Brings `first` and the next heap entries, up to `checkBatch` of them, up to date with every
   * pending row in one kernel call, and puts them back: far cheaper than one dot product at a time
   * when many candidates have many recent picks left to check.
   */
  const checkTopCandidates = async (first: number): Promise<void> => {
    const candidates = [first];
    while (candidates.length < checkBatch && heap.size > 0) {
      const pattern = heap.pop();
      if (!selected[owner[pattern]]) candidates.push(pattern);
    }
    const rows = new Float32Array(candidates.length * width);
    const current = new Float32Array(candidates.length);
    candidates.forEach((pattern, i) => {
      rows.set(vectors.data.subarray(pattern * width, (pattern + 1) * width), i * width);
      current[i] = upper[pattern];
    });
    const fresh = await options.kernels.minCosineDistance(rows, candidates.length, width, pendingRows, pendingCount, current);
    candidates.forEach((pattern, i) => {
      upper[pattern] = fresh[i];
      checkedPending[pattern] = pendingCount;
      if (fresh[i] > 0) heap.push(fresh[i], pattern);
    });
  };
  while (picks.length < budget) {
    if (heap.size === 0) {
      pickUncovered();
      continue;
    }
    const pattern = heap.pop();
    if (selected[owner[pattern]]) continue;
    if (checkBatch > 0 && pendingCount - checkedPending[pattern] > SCALAR_CHECK_LIMIT) {
      await checkTopCandidates(pattern);
      continue;
    }
    const next = heap.peekKey();
    const bound = tightenUpper(pattern, next);
    if (bound >= next) {
      takeItem(owner[pattern], bound);
      picksSinceRefresh++;
      if (picks.length < budget && picksSinceRefresh >= refreshEvery) {
        await refresh();
        rebuildHeap();
      }
    } else if (bound > 0) {
      heap.push(bound, pattern);
    }
  }
  return picks;
}

function cumulativeSquares(values: Float32Array): Float64Array {
  const cumulative = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] * values[i];
    cumulative[i] = sum;
  }
  return cumulative;
}

/** First index whose cumulative value exceeds `target` (entries with zero weight are never returned). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid] > target) high = mid;
    else low = mid + 1;
  }
  return low;
}
