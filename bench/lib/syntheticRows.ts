// Synthetic embeddings for speed benchmarks: non-negative clustered vectors, like the ReLU
// embeddings the bundled model produces, generated from a seed so every run times the same data.
import { SeededRandom } from '../../src/core/math/seededRandom';
import type { VectorRows } from '../../src/core/math/vectorRows';

/** `items * perItem` rows of `width` floats around 50 random centres. */
export function syntheticRows(items: number, perItem: number, width: number, seed: number): VectorRows {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: 50 }, () => Float32Array.from({ length: width }, () => Math.max(0, random.normal())));
  const data = new Float32Array(items * perItem * width);
  for (let r = 0; r < items * perItem; r++) {
    const centre = centres[random.int(centres.length)];
    for (let k = 0; k < width; k++) data[r * width + k] = Math.max(0, centre[k] + 0.5 * (random.next() - 0.5));
  }
  return { data, rows: items * perItem, width };
}
