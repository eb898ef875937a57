// Euclidean k-means for selection (TypiClust's clusters, ProbCover's pseudo-labels), with every
// distance computed as a blocked matrix product through MatrixKernels:
// ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2, so the nearest centre is argmax (x.c - ||c||^2 / 2).
// - Seeding: k-means++ (each next centre drawn with probability proportional to its squared
//   distance to the nearest centre so far) on a seeded sample of the rows; rows must be unit
//   length for that step (it uses the cosine-distance kernel: ||x - y||^2 = 2 (1 - cos)).
// - Pools up to FULL_BATCH_ROWS: Lloyd iterations on all rows until almost no row moves.
// - Larger pools: mini-batch k-means (Sculley, "Web-scale k-means clustering", WWW 2010; each
//   centre moves towards its batch members with a per-centre rate 1 / times it was chosen), then
//   one full assignment pass. The batches draw two epochs of rows, but at most
//   MINI_BATCH_DRAWS_PER_CENTRE rows per centre (and at least MIN_MINI_BATCH_DRAWS): by then a
//   centre's step is about 1 / 200 of the way to each new member and further batches barely move
//   it; at 1,000,000 rows and 1,000 centres two epochs would be ten times as many draws. There the
//   capped run's mean squared distance to the centres came out 0.8% and 0.6% above two epochs'
//   (the scaling benchmark's pool and ten Gaussian classes, 256 floats projected to 128), in a fifth
//   of the time. Pools up to 100,000 rows still draw two full epochs.
// - The nearest centre of each row is found inside the kernels (gemmArgMax): the [rows, k] score
//   block never reaches JS.
import type { MatrixKernels } from './matrixKernels';
import { throwIfAborted } from '../util/concurrency';
import { SeededRandom } from './seededRandom';
import type { VectorRows } from './vectorRows';

export interface KMeansOptions {
  kernels: MatrixKernels;
  seed: number;
  signal?: AbortSignal;
  maxIterations?: number;
}

export interface ClusterAssignment {
  /** Cluster of every row. */
  assignment: Int32Array;
  /** k centres, [k, width] row-major. */
  centres: Float32Array;
  k: number;
  /** Lloyd iterations or mini-batch steps run. */
  steps: number;
  miniBatch: boolean;
}

/** Above this many rows, mini-batch k-means replaces full Lloyd iterations. */
export const FULL_BATCH_ROWS = 20_000;
const MINI_BATCH_ROWS = 2048;
const MINI_BATCH_EPOCHS = 2;
const MINI_BATCH_DRAWS_PER_CENTRE = 200;
const MIN_MINI_BATCH_DRAWS = 200_000;
/** Rows per gemm call when assigning: bounds the [rows, k] score block held at once. */
const ASSIGN_BLOCK_ROWS = 4096;
/** Lloyd stops once fewer than this fraction of rows change cluster in an iteration. */
const SETTLED_FRACTION = 0.001;
const SEED_SAMPLE_PER_CENTRE = 4;
const MIN_SEED_SAMPLE = 4096;

export async function kMeans(rows: VectorRows, k: number, options: KMeansOptions): Promise<ClusterAssignment> {
  const n = rows.rows;
  if (n === 0) throw new Error('k-means needs at least one row.');
  k = Math.max(1, Math.min(Math.floor(k), n));
  const random = new SeededRandom(options.seed);
  const centres = await kMeansPlusPlus(rows, k, random, options);
  const assignment = new Int32Array(n).fill(-1);
  if (n <= FULL_BATCH_ROWS) {
    const maxIterations = options.maxIterations ?? 30;
    let steps = 0;
    for (; steps < maxIterations; steps++) {
      const moved = await assignRows(rows, centres, k, assignment, options.kernels);
      throwIfAborted(options.signal);
      if (steps > 0 && moved <= SETTLED_FRACTION * n) break;
      recomputeCentres(rows, assignment, centres, k);
    }
    return { assignment, centres, k, steps, miniBatch: false };
  }
  const { width } = rows;
  const chosen = new Float64Array(k);
  const draws = Math.min(MINI_BATCH_EPOCHS * n, Math.max(MIN_MINI_BATCH_DRAWS, MINI_BATCH_DRAWS_PER_CENTRE * k));
  const steps = Math.ceil(draws / MINI_BATCH_ROWS);
  const batch = new Float32Array(MINI_BATCH_ROWS * width);
  const batchAssignment = new Int32Array(MINI_BATCH_ROWS);
  for (let step = 0; step < steps; step++) {
    const members: number[] = [];
    for (let i = 0; i < MINI_BATCH_ROWS; i++) members.push(random.int(n));
    members.forEach((row, i) => batch.set(rows.data.subarray(row * width, (row + 1) * width), i * width));
    batchAssignment.fill(-1);
    await assignRows({ data: batch, rows: MINI_BATCH_ROWS, width }, centres, k, batchAssignment, options.kernels);
    for (let i = 0; i < MINI_BATCH_ROWS; i++) {
      const c = batchAssignment[i];
      chosen[c] += 1;
      const rate = 1 / chosen[c];
      for (let d = 0; d < width; d++) centres[c * width + d] += rate * (batch[i * width + d] - centres[c * width + d]);
    }
    throwIfAborted(options.signal);
  }
  await assignRows(rows, centres, k, assignment, options.kernels);
  return { assignment, centres, k, steps, miniBatch: true };
}

/** Nearest centre of every row into `assignment`; returns how many rows changed cluster. */
export async function assignRows(rows: VectorRows, centres: Float32Array, k: number, assignment: Int32Array, kernels: MatrixKernels): Promise<number> {
  const { width } = rows;
  const transposed = new Float32Array(width * k);
  const bias = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let d = 0; d < width; d++) {
      const v = centres[c * width + d];
      transposed[d * k + c] = v;
      norm += v * v;
    }
    bias[c] = -norm / 2;
  }
  let moved = 0;
  const nearest = new Int32Array(Math.min(ASSIGN_BLOCK_ROWS, rows.rows));
  for (let start = 0; start < rows.rows; start += ASSIGN_BLOCK_ROWS) {
    const count = Math.min(ASSIGN_BLOCK_ROWS, rows.rows - start);
    await kernels.gemmArgMax(rows.data.subarray(start * width, (start + count) * width), count, width, transposed, k, bias, nearest);
    for (let i = 0; i < count; i++) {
      if (assignment[start + i] !== nearest[i]) {
        assignment[start + i] = nearest[i];
        moved++;
      }
    }
  }
  return moved;
}

function recomputeCentres(rows: VectorRows, assignment: Int32Array, centres: Float32Array, k: number): void {
  const { width } = rows;
  const sums = new Float64Array(k * width);
  const counts = new Int32Array(k);
  for (let i = 0; i < rows.rows; i++) {
    const c = assignment[i];
    counts[c]++;
    for (let d = 0; d < width; d++) sums[c * width + d] += rows.data[i * width + d];
  }
  // An emptied cluster keeps its old centre; it may win rows back on the next pass.
  for (let c = 0; c < k; c++) if (counts[c] > 0) for (let d = 0; d < width; d++) centres[c * width + d] = sums[c * width + d] / counts[c];
}

async function kMeansPlusPlus(rows: VectorRows, k: number, random: SeededRandom, options: KMeansOptions): Promise<Float32Array> {
  const { width } = rows;
  const sampleSize = Math.min(rows.rows, Math.max(MIN_SEED_SAMPLE, SEED_SAMPLE_PER_CENTRE * k));
  const sample = sampleSize === rows.rows ? Array.from({ length: rows.rows }, (_, i) => i) : random.permutation(rows.rows).slice(0, sampleSize);
  const points = new Float32Array(sampleSize * width);
  sample.forEach((row, i) => points.set(rows.data.subarray(row * width, (row + 1) * width), i * width));
  const centres = new Float32Array(k * width);
  let nearest: Float32Array = new Float32Array(sampleSize).fill(3);
  let pick = random.int(sampleSize);
  for (let c = 0; c < k; c++) {
    centres.set(points.subarray(pick * width, (pick + 1) * width), c * width);
    if (c === k - 1) break;
    nearest = await options.kernels.minCosineDistance(points, sampleSize, width, centres.subarray(c * width, (c + 1) * width), 1, nearest);
    let total = 0;
    for (let i = 0; i < sampleSize; i++) total += Math.max(0, nearest[i]);
    if (total <= 0) {
      // Fewer distinct points than centres: the rest are copies of a drawn point.
      pick = random.int(sampleSize);
      continue;
    }
    let target = random.next() * total;
    pick = sampleSize - 1;
    for (let i = 0; i < sampleSize; i++) {
      target -= Math.max(0, nearest[i]);
      if (target <= 0) {
        pick = i;
        break;
      }
    }
    if (c % 64 === 63) throwIfAborted(options.signal);
  }
  return centres;
}
