// TypiClust's typicality: 1 / (mean Euclidean distance to the k nearest other points), k = 20,
// computed inside one cluster (as the paper does) from one blocked matrix product of the members
// with each other; the kernels keep each row's k + 1 largest products (gemmTopK), so the product
// block itself never reaches JS. A very large cluster (or the whole pool, where TypiClust seeks neighbours there) is
// compared against a seeded sample of REFERENCE_LIMIT of its members instead of all of them: a
// density estimate from a sample ranks points the same way on average and keeps the cost at
// members x REFERENCE_LIMIT.
import type { MatrixKernels } from '../math/matrixKernels';
import { SeededRandom } from '../math/seededRandom';
import type { VectorRows } from '../math/vectorRows';
import { unitDistance } from './selectionSpace';

export const TYPICALITY_NEIGHBOURS = 20;
const REFERENCE_LIMIT = 4096;
const ROW_BLOCK = 2048;

/** Typicality of each of `members` (rows of unit vectors), in the same order. */
export async function typicalityInGroup(rows: VectorRows, members: readonly number[], kernels: MatrixKernels, seed: number, neighbours = TYPICALITY_NEIGHBOURS): Promise<Float64Array> {
  const m = members.length;
  const out = new Float64Array(m);
  if (m <= 1) return out.fill(m === 1 ? 1 : 0);
  const { width } = rows;
  const references = m <= REFERENCE_LIMIT ? [...members] : new SeededRandom(seed).permutation(m).slice(0, REFERENCE_LIMIT).map((i) => members[i]);
  const r = references.length;
  const referenceSet = new Set(references);
  // A point is not its own neighbour: with the whole cluster as references, k is capped at m - 1.
  const k = Math.max(1, Math.min(neighbours, r - 1));
  const transposed = new Float32Array(width * r);
  references.forEach((row, j) => {
    for (let d = 0; d < width; d++) transposed[d * r + j] = rows.data[row * width + d];
  });
  const zeros = new Float32Array(r);
  const block = new Float32Array(Math.min(ROW_BLOCK, m) * width);
  for (let start = 0; start < m; start += ROW_BLOCK) {
    const count = Math.min(ROW_BLOCK, m - start);
    for (let i = 0; i < count; i++) block.set(rows.data.subarray(members[start + i] * width, (members[start + i] + 1) * width), i * width);
    // The k + 1 largest dot products of each row, largest first (the point itself is among them when it is a reference).
    const nearest = await kernels.gemmTopK(block, count, width, transposed, r, zeros, k + 1);
    for (let i = 0; i < count; i++) {
      // Drop the point itself (dot product ~1) when it was among the references; otherwise the k nearest.
      const self = members[start + i];
      const skipSelf = referenceSet.has(self);
      const first = i * (k + 1) + (skipSelf ? 1 : 0);
      let sum = 0;
      for (let j = first; j < first + k; j++) sum += unitDistance(nearest[j]);
      out[start + i] = 1 / (sum / k + 1e-9);
    }
  }
  return out;
}
