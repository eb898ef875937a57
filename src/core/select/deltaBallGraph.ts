// ProbCover's two label-free steps (Yehuda, Dekel, Hacohen, Weinshall, NeurIPS 2022):
// 1. delta by the purity rule: with k-means pseudo-labels, the ball of radius delta around a point
//    is "pure" when every point in it shares the centre's pseudo-label, i.e. when delta is below
//    the distance r_i from point i to the nearest point of another pseudo-label. purity(delta) =
//    share of points whose ball is pure, which falls as delta grows; the largest delta with
//    purity >= alpha (0.95) is the (1 - alpha) quantile of r. r is measured for a seeded sample of
//    PURITY_SAMPLE points (a quantile estimate) against every point; the sample is taken one
//    pseudo-label at a time, with the columns of that label masked out (a bias of -Infinity), so
//    the kernels return each sample point's largest product with another label directly.
// 2. The delta-ball graph: an edge i -> j for every pair within delta, as a symmetric sparse
//    adjacency (CSR: offsets + neighbour ids). Memory: 4 bytes per edge plus 8 (n + 1) bytes; the
//    build stops with an error past MAX_GRAPH_EDGES (400 MB) instead of exhausting memory.
//    Up to EXACT_GRAPH_ROWS rows the graph is exact: one blocked matrix product of the rows with
//    themselves, n^2 x width multiply-adds.
//    Above, that is too slow, and the graph is approximate (cellDeltaBallGraph): the rows are split
//    into about sqrt(n) k-means cells, each cell is paired with the PROBED_CELLS cells whose centres
//    are nearest its own (pairs made symmetric), and only pairs of rows in paired cells are compared,
//    each pair once: about n x (PROBED_CELLS / 2 + 1) x n / cells products. Rows of a paired cell
//    farther from a cell's centre than its farthest member plus the radius are left out (triangle
//    inequality: no pair within the radius is lost). A ball can miss a member that fell into a cell
//    not paired with its own: `bench/selectionScaling.ts --recall` measures how many
//    (bench/results/selection-scaling-cold-start.md). Smaller cells would cost less but miss more: on
//    100,000 rows of Gaussian classes whose balls hold hundreds of rows each, sqrt(n) cells (316
//    rows) held 90% of the ball members, cells of 256 rows (from two levels of k-means) only 43%.
//    When the graph at delta would pass MAX_GRAPH_EDGES, ProbCover halves delta; the approximate
//    build settles every halving in one pass: the cells are computed once, every pair within delta is
//    counted at the smallest of delta, delta / 2, delta / 4, ... that still holds it, and only the
//    pairs within the current radius are held. The radius moves to the next halving (dropping the
//    pairs beyond it) when its edges pass the bound, or earlier, when the counts after a twentieth of
//    the pass (cells in a seeded random order), scaled to the whole pass, exceed the bound 1.5 times
//    over. The counts at the end are exact, so the result is the largest halving whose graph fits, as
//    halving and rebuilding would find; a prediction that went too far costs a second pass. Transient
//    memory: 9 bytes per pair held (at most MAX_GRAPH_EDGES / 2 pairs plus one product block) before
//    the CSR is written.
import type { MatrixKernels } from '../math/matrixKernels';
import { kMeans } from '../math/kMeans';
import { SeededRandom } from '../math/seededRandom';
import type { VectorRows } from '../math/vectorRows';
import { throwIfAborted } from '../util/concurrency';
import { unitDistance } from './selectionSpace';

export const PURITY_THRESHOLD = 0.95;
const PURITY_SAMPLE = 2000;
export const MAX_GRAPH_EDGES = 100_000_000;
export const EXACT_GRAPH_ROWS = 20_000;
const PROBED_CELLS = 8;
const ROW_BLOCK = 1024;
const COLUMN_BLOCK = 16384;
/** Approximate graph: columns (members of one cell) per product, rows per product, floats per product block. */
const CELL_COLUMNS = 4096;
const CELL_QUERY_ROWS = 8192;
const CELL_BLOCK_FLOATS = 1 << 18;
/** Approximate graph: share of the pass after which the radius may shrink on a prediction, and by how much the prediction must pass the bound. */
const PREDICT_AFTER = 0.05;
const PREDICTED_EXCESS = 1.5;
/** Allowance for rounding in the distances that decide which rows of paired cells a cell is compared with. */
const REACH_SLACK = 1e-3;

/** Thrown when the graph at a delta would exceed MAX_GRAPH_EDGES; ProbCover then halves delta. */
export class GraphTooLargeError extends Error {
  override name = 'GraphTooLargeError';
}

export interface DeltaBallGraph {
  delta: number;
  /** Neighbours of row i (itself included) are neighbours[offsets[i] .. offsets[i + 1]). */
  offsets: Float64Array;
  neighbours: Int32Array;
}

/** Every block of the row-by-row dot products, in row blocks and column blocks. */
async function forEachDotBlock(
  rows: VectorRows,
  queryRows: readonly number[],
  kernels: MatrixKernels,
  visit: (queryStart: number, queryCount: number, columnStart: number, columnCount: number, dots: Float32Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { width } = rows;
  const n = rows.rows;
  const query = new Float32Array(Math.min(ROW_BLOCK, queryRows.length) * width);
  for (let columnStart = 0; columnStart < n; columnStart += COLUMN_BLOCK) {
    const columnCount = Math.min(COLUMN_BLOCK, n - columnStart);
    const transposed = new Float32Array(width * columnCount);
    for (let j = 0; j < columnCount; j++) for (let d = 0; d < width; d++) transposed[d * columnCount + j] = rows.data[(columnStart + j) * width + d];
    const zeros = new Float32Array(columnCount);
    for (let queryStart = 0; queryStart < queryRows.length; queryStart += ROW_BLOCK) {
      const queryCount = Math.min(ROW_BLOCK, queryRows.length - queryStart);
      for (let i = 0; i < queryCount; i++) query.set(rows.data.subarray(queryRows[queryStart + i] * width, (queryRows[queryStart + i] + 1) * width), i * width);
      visit(queryStart, queryCount, columnStart, columnCount, await kernels.gemm(query, queryCount, width, transposed, columnCount, zeros));
      throwIfAborted(signal);
    }
  }
}

/** The largest delta whose balls are pure for at least `threshold` of the points. */
export async function purityDelta(rows: VectorRows, pseudoLabels: Int32Array, kernels: MatrixKernels, seed: number, threshold = PURITY_THRESHOLD, signal?: AbortSignal): Promise<number> {
  const n = rows.rows;
  const { width } = rows;
  const sample = n <= PURITY_SAMPLE ? Array.from({ length: n }, (_, i) => i) : new SeededRandom(seed).permutation(n).slice(0, PURITY_SAMPLE);
  // Largest dot product with a point of another pseudo-label = nearest such point.
  const nearestOther = new Float64Array(sample.length).fill(-Infinity);
  const byLabel = new Map<number, number[]>();
  sample.forEach((row, at) => {
    const label = pseudoLabels[row];
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label)!.push(at);
  });
  const query = new Float32Array(Math.min(ROW_BLOCK, sample.length) * width);
  for (let columnStart = 0; columnStart < n; columnStart += COLUMN_BLOCK) {
    const columnCount = Math.min(COLUMN_BLOCK, n - columnStart);
    const transposed = new Float32Array(width * columnCount);
    for (let j = 0; j < columnCount; j++) for (let d = 0; d < width; d++) transposed[d * columnCount + j] = rows.data[(columnStart + j) * width + d];
    const mask = new Float32Array(columnCount);
    for (const [label, at] of byLabel) {
      for (let j = 0; j < columnCount; j++) mask[j] = pseudoLabels[columnStart + j] === label ? -Infinity : 0;
      for (let queryStart = 0; queryStart < at.length; queryStart += ROW_BLOCK) {
        const queryCount = Math.min(ROW_BLOCK, at.length - queryStart);
        for (let i = 0; i < queryCount; i++) query.set(rows.data.subarray(sample[at[queryStart + i]] * width, (sample[at[queryStart + i]] + 1) * width), i * width);
        const best = await kernels.gemmTopK(query, queryCount, width, transposed, columnCount, mask, 1);
        for (let i = 0; i < queryCount; i++) if (best[i] > nearestOther[at[queryStart + i]]) nearestOther[at[queryStart + i]] = best[i];
        throwIfAborted(signal);
      }
    }
  }
  // One pseudo-label only: every ball is pure; no finite radius is implied, so cover by the widest (2).
  const radii = Array.from(nearestOther, (dot) => (dot === -Infinity ? 2 : unitDistance(dot))).sort((a, b) => a - b);
  const impure = Math.floor((1 - threshold) * radii.length);
  // Balls of radius just below radii[impure] are pure for every point from `impure` on.
  return Math.max(0, radii[Math.min(impure, radii.length - 1)] * (1 - 1e-6));
}

/** Symmetric delta-ball graph over all rows (each row is its own neighbour); approximate above EXACT_GRAPH_ROWS. */
export async function deltaBallGraph(rows: VectorRows, delta: number, kernels: MatrixKernels, signal?: AbortSignal, seed = 1): Promise<DeltaBallGraph> {
  const n = rows.rows;
  if (n > EXACT_GRAPH_ROWS) return cellDeltaBallGraph(rows, delta, kernels, { seed, signal, halvings: 0 });
  const minDot = 1 - (delta * delta) / 2;
  const lists: number[][] = Array.from({ length: n }, () => []);
  let edges = 0;
  const all = Array.from({ length: n }, (_, i) => i);
  await forEachDotBlock(
    rows,
    all,
    kernels,
    (queryStart, queryCount, columnStart, columnCount, dots) => {
      for (let i = 0; i < queryCount; i++) {
        const list = lists[queryStart + i];
        const before = list.length;
        for (let j = 0; j < columnCount; j++) if (dots[i * columnCount + j] >= minDot || queryStart + i === columnStart + j) list.push(columnStart + j);
        edges += list.length - before;
      }
      if (edges > MAX_GRAPH_EDGES) {
        throw new GraphTooLargeError(`ProbCover's graph at delta = ${delta.toFixed(3)} would hold more than ${MAX_GRAPH_EDGES.toLocaleString('en')} edges (about ${(MAX_GRAPH_EDGES * 4) / 1e6} MB).`);
      }
    },
    signal,
  );
  return packGraph(lists, delta);
}

function packGraph(lists: number[][], delta: number): DeltaBallGraph {
  const n = lists.length;
  const offsets = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  if (offsets[n] > MAX_GRAPH_EDGES) {
    throw new GraphTooLargeError(`ProbCover's graph at delta = ${delta.toFixed(3)} holds ${offsets[n].toLocaleString('en')} edges, more than the ${MAX_GRAPH_EDGES.toLocaleString('en')} allowed.`);
  }
  const neighbours = new Int32Array(offsets[n]);
  for (let i = 0; i < n; i++) neighbours.set(lists[i], offsets[i]);
  return { delta, offsets, neighbours };
}

export interface CellGraphOptions {
  seed: number;
  signal?: AbortSignal;
  /** How many times delta may be halved to fit the bound (0: the graph at delta, or GraphTooLargeError). */
  halvings: number;
  /** The bound on directed edges (self edges included); MAX_GRAPH_EDGES unless a test sets less. */
  maxEdges?: number;
  /** Cells to split the rows into; about sqrt(n) unless a test sets it. */
  cells?: number;
  /** PREDICTED_EXCESS unless a test sets it (below 1, predictions overshoot and the second pass runs). */
  predictedExcess?: number;
}

/**
 * The approximate delta-ball graph (see the top of this file): rows compared only with rows of
 * paired k-means cells, at the largest of delta, delta / 2, ..., delta / 2^halvings whose graph
 * holds at most maxEdges edges; graph.delta says which. Throws GraphTooLargeError when none does.
 */
export async function cellDeltaBallGraph(rows: VectorRows, delta: number, kernels: MatrixKernels, options: CellGraphOptions): Promise<DeltaBallGraph> {
  const { width } = rows;
  const n = rows.rows;
  const maxEdges = options.maxEdges ?? MAX_GRAPH_EDGES;
  const { signal } = options;
  const cells = await kMeans(rows, options.cells ?? Math.round(Math.sqrt(n)), { kernels, seed: options.seed, signal });
  const k = cells.k;
  // Rows of cell c: order[start[c] .. start[c + 1]).
  const start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) start[cells.assignment[i] + 1]++;
  for (let c = 0; c < k; c++) start[c + 1] += start[c];
  const order = new Int32Array(n);
  const filled = start.slice(0, k);
  for (let i = 0; i < n; i++) order[filled[cells.assignment[i]]++] = i;
  const partners = pairedCells(cells.centres, k, width);
  // reach[c]: the largest distance from cell c's centre to one of its members. A row farther than
  // reach[c] + r from the centre has no member of c within r (triangle inequality), so it is left
  // out of c's products: the graph is the same, and small radii skip many rows of paired cells.
  const rowNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let d = 0; d < width; d++) rowNorms[i] += rows.data[i * width + d] ** 2;
  const centreNorms = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let d = 0; d < width; d++) centreNorms[c] += cells.centres[c * width + d] ** 2;
  // Rows gathered for one cell's products: its members, then the rows of its paired cells.
  let gathered = new Float32Array(Math.min(n, CELL_QUERY_ROWS) * width);
  const queryRows = new Int32Array(n);
  const gather = (from: number, to: number): void => {
    if (to * width > gathered.length) {
      const grown = new Float32Array(Math.max(to, Math.ceil((gathered.length / width) * 1.5)) * width);
      grown.set(gathered.subarray(0, from * width));
      gathered = grown;
    }
    copyRows(rows.data, queryRows, from, to, gathered, width);
  };
  const zero = new Float32Array(1);
  /** Distances from gathered rows from .. to - 1 to the centre of cell c. */
  const centreDistances = async (c: number, from: number, to: number): Promise<Float64Array> => {
    const dots = await kernels.gemm(gathered.subarray(from * width, to * width), to - from, width, cells.centres.subarray(c * width, (c + 1) * width), 1, zero);
    return Float64Array.from(dots, (dot, i) => Math.sqrt(Math.max(0, rowNorms[queryRows[from + i]] - 2 * dot + centreNorms[c])));
  };
  const reach = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const size = start[c + 1] - start[c];
    if (size === 0) continue;
    queryRows.set(order.subarray(start[c], start[c + 1]));
    gather(0, size);
    for (const distance of await centreDistances(c, 0, size)) if (distance > reach[c]) reach[c] = distance;
  }

  // Pairs each cell stands for: with itself (each pair once) and with its partners above it, before
  // the rows out of reach are left out. The pass's progress is measured in them.
  const upper = partners.map((list, c) => list.filter((o) => o > c));
  const cellPairs = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const size = start[c + 1] - start[c];
    cellPairs[c] = (size * (size - 1)) / 2;
    for (const o of upper[c]) cellPairs[c] += size * (start[o + 1] - start[o]);
  }
  const totalPairs = cellPairs.reduce((sum, pairs) => sum + pairs, 0);
  // Radii delta / 2^level and the smallest dot product within each.
  const levels = options.halvings + 1;
  const minDots = Float64Array.from({ length: levels }, (_, level) => 1 - (delta / 2 ** level) ** 2 / 2);
  // Cells in a seeded random order, so that the share of the pass done so far predicts the whole.
  const cellOrder = new SeededRandom(options.seed + 1).permutation(k);

  const columns = new Float32Array(width * Math.min(CELL_COLUMNS, n));
  const zeros = new Float32Array(Math.min(CELL_COLUMNS, n));
  const products = new Float32Array(CELL_BLOCK_FLOATS);
  // Pairs held never pass the bound's pairs by more than one block's worth.
  const mostPairs = Math.ceil(Math.max(0, maxEdges - n) / 2) + CELL_BLOCK_FLOATS;
  let held = 0;
  let first = new Int32Array(1 << 16);
  let second = new Int32Array(1 << 16);
  let deepest = new Uint8Array(1 << 16);
  const reserve = (more: number): void => {
    if (held + more <= first.length) return;
    const capacity = Math.max(held + more, Math.min(Math.ceil(first.length * 1.5), mostPairs));
    const grow = <T extends Int32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, held));
      return fresh;
    };
    first = grow(first, new Int32Array(capacity));
    second = grow(second, new Int32Array(capacity));
    deepest = grow(deepest, new Uint8Array(capacity));
  };
  // pairsAt[l]: pairs (all of them, held or not) whose smallest radius holding them is delta / 2^l.
  const pairsAt = new Float64Array(levels);
  const edgesAt = (level: number, scale = 1): number => {
    let pairs = 0;
    for (let l = level; l < levels; l++) pairs += pairsAt[l];
    return n + 2 * pairs * scale;
  };
  const tooLarge = (): GraphTooLargeError =>
    new GraphTooLargeError(`ProbCover's graph would hold more than ${maxEdges.toLocaleString('en')} edges (about ${(maxEdges * 4) / 1e6} MB) even at delta = ${(delta / 2 ** options.halvings).toFixed(3)}.`);

  /**
   * One pass over the cell pairs, holding the pairs within the current radius. Every pair within
   * the largest radius not yet known to pass the bound is counted at its level, so at the end the
   * first radius whose count fits is known exactly. The radius shrinks when the edges within it
   * pass the bound, or (with `predict`) once a twentieth of the pass is done and the count so far,
   * scaled to the whole pass, passes PREDICTED_EXCESS times the bound: then the pairs of the
   * larger radii are never held. Returns the level it ended at.
   */
  const pass = async (startLevel: number, predict: boolean): Promise<number> => {
    let level = startLevel;
    // Levels below `proven` already hold more edges than the bound: their pairs need no counting.
    let proven = 0;
    held = 0;
    pairsAt.fill(0);
    // Counted up front, so that a prediction inside a cell never runs ahead of its counts.
    let progress = 0;
    for (const c of cellOrder) {
      const size = start[c + 1] - start[c];
      if (size === 0) continue;
      progress += cellPairs[c];
      // Query rows: the cell's own members (paired with the members after them), then the rows of
      // the paired cells numbered above c (pairs with cells below c are found from there) that are
      // within reach of c at the largest radius still counted.
      queryRows.set(order.subarray(start[c], start[c + 1]));
      let queryTotal = size;
      for (const o of upper[c]) {
        queryRows.set(order.subarray(start[o], start[o + 1]), queryTotal);
        queryTotal += start[o + 1] - start[o];
      }
      gather(0, queryTotal);
      if (queryTotal > size) {
        const within = reach[c] + delta / 2 ** proven + REACH_SLACK;
        const distances = await centreDistances(c, size, queryTotal);
        let kept = size;
        for (let i = size; i < queryTotal; i++) {
          if (distances[i - size] > within) continue;
          if (kept !== i) {
            queryRows[kept] = queryRows[i];
            gathered.copyWithin(kept * width, i * width, (i + 1) * width);
          }
          kept++;
        }
        queryTotal = kept;
      }
      for (let columnStart = 0; columnStart < size; columnStart += CELL_COLUMNS) {
        const columnCount = Math.min(CELL_COLUMNS, size - columnStart);
        const columnRows = order.subarray(start[c] + columnStart, start[c] + columnStart + columnCount);
        transposeRows(gathered, columnStart, columnCount, width, columns);
        const blockRows = Math.min(CELL_QUERY_ROWS, Math.floor(CELL_BLOCK_FLOATS / columnCount));
        for (let queryStart = 0; queryStart < queryTotal; queryStart += blockRows) {
          const queryCount = Math.min(blockRows, queryTotal - queryStart);
          const dots = await kernels.gemm(gathered.subarray(queryStart * width, (queryStart + queryCount) * width), queryCount, width, columns, columnCount, zeros, products);
          reserve(queryCount * columnCount);
          held = holdPairs(dots, queryRows.subarray(queryStart, queryStart + queryCount), size - queryStart, queryStart - columnStart, columnRows, minDots, proven, level, pairsAt, first, second, deepest, held);
          const before = level;
          while (proven < levels && edgesAt(proven) > maxEdges) proven++;
          if (proven === levels) throw tooLarge();
          level = Math.max(level, proven);
          if (predict && progress >= PREDICT_AFTER * totalPairs) {
            const scale = totalPairs / progress;
            while (level + 1 < levels && edgesAt(level, scale) > (options.predictedExcess ?? PREDICTED_EXCESS) * maxEdges) level++;
          }
          if (level !== before) {
            // Drop the pairs beyond the new radius.
            let kept = 0;
            for (let e = 0; e < held; e++) {
              if (deepest[e] < level) continue;
              first[kept] = first[e];
              second[kept] = second[e];
              deepest[kept] = deepest[e];
              kept++;
            }
            held = kept;
          }
          throwIfAborted(signal);
        }
      }
    }
    return level;
  };
  let level = await pass(0, true);
  // The counts: the largest radius whose graph fits (a level's count stops once it has passed the
  // bound, so the first level within it is exact). A prediction that shrank the radius too far
  // (rare) costs a second pass at the right one.
  let fits = 0;
  while (edgesAt(fits) > maxEdges) fits++;
  if (fits < level) level = await pass(fits, false);

  // CSR: each row itself, then its pairs in both directions.
  const offsets = new Float64Array(n + 1);
  const degree = new Int32Array(n).fill(1);
  for (let e = 0; e < held; e++) {
    degree[first[e]]++;
    degree[second[e]]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
  const neighbours = new Int32Array(offsets[n]);
  const next = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    neighbours[offsets[i]] = i;
    next[i] = offsets[i] + 1;
  }
  for (let e = 0; e < held; e++) {
    neighbours[next[first[e]]++] = second[e];
    neighbours[next[second[e]]++] = first[e];
  }
  return { delta: delta / 2 ** level, offsets, neighbours };
}

/** Rows rows[from .. to) of `data` into out[from .. to) (width floats each). */
function copyRows(data: Float32Array, rows: Int32Array, from: number, to: number, out: Float32Array, width: number): void {
  for (let i = from; i < to; i++) out.set(data.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
}

/** Rows first .. first + count - 1 of `data`, transposed into out [width, count]. */
function transposeRows(data: Float32Array, first: number, count: number, width: number, out: Float32Array): void {
  for (let j = 0; j < count; j++) {
    const source = (first + j) * width;
    for (let d = 0; d < width; d++) out[d * count + j] = data[source + d];
  }
}

/**
 * One block of products between query rows and some of a cell's members (the columns): counts
 * every pair within radius level `proven` at the smallest radius that holds it, and holds (first,
 * second, deepest) the pairs within radius level `level`. Returns the number of pairs held.
 * The first `ownRows` queries are members of the cell themselves, query i being `shift` + i places
 * after column 0 in the cell's order: a member pairs only with the members after it, so that each
 * pair (and its product) is taken once.
 */
function holdPairs(
  dots: Float32Array,
  queries: Int32Array,
  ownRows: number,
  shift: number,
  columnRows: Int32Array,
  minDots: Float64Array,
  proven: number,
  level: number,
  pairsAt: Float64Array,
  first: Int32Array,
  second: Int32Array,
  deepest: Uint8Array,
  held: number,
): number {
  const columnCount = columnRows.length;
  const levels = minDots.length;
  const counted = minDots[proven];
  const next = proven + 1 < levels ? minDots[proven + 1] : Infinity;
  for (let i = 0; i < queries.length; i++) {
    const query = queries[i];
    const from = i < ownRows ? Math.max(0, shift + i + 1) : 0;
    const base = i * columnCount;
    for (let j = from; j < columnCount; j++) {
      const v = dots[base + j];
      if (v < counted) continue;
      let l = proven;
      if (v >= next) {
        l++;
        while (l + 1 < levels && v >= minDots[l + 1]) l++;
      }
      pairsAt[l]++;
      if (l < level) continue;
      first[held] = query;
      second[held] = columnRows[j];
      deepest[held] = l;
      held++;
    }
  }
  return held;
}

/** For each cell, the cells it is compared with: its PROBED_CELLS nearest by centre distance, and every cell that counts it among its own. */
function pairedCells(centres: Float32Array, k: number, width: number): number[][] {
  const paired: Array<Set<number>> = Array.from({ length: k }, () => new Set<number>());
  const probes = Math.min(PROBED_CELLS, k - 1);
  const nearest = new Int32Array(probes);
  const nearestDistance = new Float64Array(probes);
  for (let c = 0; c < k; c++) {
    let found = 0;
    for (let o = 0; o < k; o++) {
      if (o === c) continue;
      let sum = 0;
      for (let d = 0; d < width; d++) sum += (centres[c * width + d] - centres[o * width + d]) ** 2;
      // Keep the `probes` nearest, earlier cells first among equals.
      if (found === probes && sum >= nearestDistance[probes - 1]) continue;
      let at = found < probes ? found++ : probes - 1;
      while (at > 0 && nearestDistance[at - 1] > sum) {
        nearestDistance[at] = nearestDistance[at - 1];
        nearest[at] = nearest[at - 1];
        at--;
      }
      nearestDistance[at] = sum;
      nearest[at] = o;
    }
    for (let p = 0; p < found; p++) {
      paired[c].add(nearest[p]);
      paired[nearest[p]].add(c);
    }
  }
  return paired.map((set) => [...set].sort((a, b) => a - b));
}
