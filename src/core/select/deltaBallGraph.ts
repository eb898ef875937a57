// ProbCover's two label-free steps (Yehuda, Dekel, Hacohen, Weinshall, NeurIPS 2022):
// 1. delta by the purity rule: with k-means pseudo-labels, the ball of radius delta around a point
//    is "pure" when every point in it shares the centre's pseudo-label, i.e. when delta is below
//    the distance r_i from point i to the nearest point of another pseudo-label. purity(delta) =
//    share of points whose ball is pure, which falls as delta grows; the largest delta with
//    purity >= alpha (0.95) is the (1 - alpha) quantile of r. r is measured for a seeded sample of
//    PURITY_SAMPLE points (a quantile estimate) against every point.
// 2. The delta-ball graph: an edge i -> j for every pair within delta, as a symmetric sparse
//    adjacency (CSR: offsets + neighbour ids). Memory: 4 bytes per edge plus 4 (n + 1) bytes; the
//    build stops with an error past MAX_GRAPH_EDGES (400 MB) instead of exhausting memory.
//    Time: one blocked matrix product of the rows with themselves, n^2 x width multiply-adds.
//    Above EXACT_GRAPH_ROWS rows that is too slow, and the graph is approximate: the rows are
//    split into about sqrt(n) k-means cells, each cell is paired with the PROBED_CELLS cells whose
//    centres are nearest its own (pairs made symmetric), and only pairs of rows in paired cells
//    are compared: about n x (PROBED_CELLS + 1) x n / cells products. A ball can miss a member
//    that fell into a far cell; with delta small against the spread of the cells that is rare.
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
  const sample = n <= PURITY_SAMPLE ? Array.from({ length: n }, (_, i) => i) : new SeededRandom(seed).permutation(n).slice(0, PURITY_SAMPLE);
  // Largest dot product with a point of another pseudo-label = nearest such point.
  const nearestOther = new Float64Array(sample.length).fill(-Infinity);
  await forEachDotBlock(
    rows,
    sample,
    kernels,
    (queryStart, queryCount, columnStart, columnCount, dots) => {
      for (let i = 0; i < queryCount; i++) {
        const label = pseudoLabels[sample[queryStart + i]];
        let best = nearestOther[queryStart + i];
        for (let j = 0; j < columnCount; j++) if (pseudoLabels[columnStart + j] !== label && dots[i * columnCount + j] > best) best = dots[i * columnCount + j];
        nearestOther[queryStart + i] = best;
      }
    },
    signal,
  );
  // One pseudo-label only: every ball is pure; no finite radius is implied, so cover by the widest (2).
  const radii = Array.from(nearestOther, (dot) => (dot === -Infinity ? 2 : unitDistance(dot))).sort((a, b) => a - b);
  const impure = Math.floor((1 - threshold) * radii.length);
  // Balls of radius just below radii[impure] are pure for every point from `impure` on.
  return Math.max(0, radii[Math.min(impure, radii.length - 1)] * (1 - 1e-6));
}

/** Symmetric delta-ball graph over all rows (each row is its own neighbour); approximate above EXACT_GRAPH_ROWS. */
export async function deltaBallGraph(rows: VectorRows, delta: number, kernels: MatrixKernels, signal?: AbortSignal, seed = 1): Promise<DeltaBallGraph> {
  const n = rows.rows;
  const minDot = 1 - (delta * delta) / 2;
  const lists: number[][] = Array.from({ length: n }, () => []);
  if (n > EXACT_GRAPH_ROWS) {
    await cellPairLists(rows, minDot, lists, kernels, seed, signal);
    return packGraph(lists, delta);
  }
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

/** The approximate graph's edges: rows compared only with rows of paired k-means cells. */
async function cellPairLists(rows: VectorRows, minDot: number, lists: number[][], kernels: MatrixKernels, seed: number, signal?: AbortSignal): Promise<void> {
  const { width } = rows;
  const n = rows.rows;
  const cells = await kMeans(rows, Math.round(Math.sqrt(n)), { kernels, seed, signal });
  const k = cells.k;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[cells.assignment[i]].push(i);
  // Each cell with itself and its PROBED_CELLS nearest cells (by centre distance), both ways.
  const paired: Array<Set<number>> = Array.from({ length: k }, (_, c) => new Set([c]));
  for (let c = 0; c < k; c++) {
    const distances: Array<[number, number]> = [];
    for (let o = 0; o < k; o++) {
      if (o === c) continue;
      let sum = 0;
      for (let d = 0; d < width; d++) sum += (cells.centres[c * width + d] - cells.centres[o * width + d]) ** 2;
      distances.push([sum, o]);
    }
    distances.sort((a, b) => a[0] - b[0]);
    for (const [, o] of distances.slice(0, PROBED_CELLS)) {
      paired[c].add(o);
      paired[o].add(c);
    }
  }
  let edges = 0;
  for (let c = 0; c < k; c++) {
    const queries = members[c];
    if (queries.length === 0) continue;
    const columns = [...paired[c]].flatMap((o) => members[o]);
    const transposed = new Float32Array(width * columns.length);
    columns.forEach((row, j) => {
      for (let d = 0; d < width; d++) transposed[d * columns.length + j] = rows.data[row * width + d];
    });
    const block = new Float32Array(queries.length * width);
    queries.forEach((row, i) => block.set(rows.data.subarray(row * width, (row + 1) * width), i * width));
    const dots = await kernels.gemm(block, queries.length, width, transposed, columns.length, new Float32Array(columns.length));
    for (let i = 0; i < queries.length; i++) {
      const list = lists[queries[i]];
      for (let j = 0; j < columns.length; j++) if (dots[i * columns.length + j] >= minDot || columns[j] === queries[i]) list.push(columns[j]);
      edges += list.length;
    }
    if (edges > MAX_GRAPH_EDGES) {
      throw new GraphTooLargeError(`ProbCover's graph would hold more than ${MAX_GRAPH_EDGES.toLocaleString('en')} edges (about ${(MAX_GRAPH_EDGES * 4) / 1e6} MB).`);
    }
    throwIfAborted(signal);
  }
}
