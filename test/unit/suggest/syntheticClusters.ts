// Gaussian blobs around random unit centres: a stand-in for embeddings whose classes are known,
// so tests can check what methods recover instead of repeating numbers.
import { SeededRandom } from '../../../src/core/math/seededRandom';
import type { VectorRows } from '../../../src/core/math/vectorRows';

export interface Blobs {
  features: VectorRows;
  truth: Int32Array;
}

export function gaussianBlobs(classes: number, perClass: number[] | number, width: number, spread: number, seed: number): Blobs {
  const random = new SeededRandom(seed);
  const counts = Array.isArray(perClass) ? perClass : new Array<number>(classes).fill(perClass);
  const centres = Array.from({ length: classes }, () => Array.from({ length: width }, () => random.normal() * 3));
  const total = counts.reduce((a, b) => a + b, 0);
  const data = new Float32Array(total * width);
  const truth = new Int32Array(total);
  let row = 0;
  counts.forEach((count, c) => {
    for (let i = 0; i < count; i++, row++) {
      truth[row] = c;
      // Shift everything positive, like ReLU embeddings, so methods must centre them.
      for (let k = 0; k < width; k++) data[row * width + k] = 10 + centres[c][k] + random.normal() * spread;
    }
  });
  return { features: { data, rows: total, width }, truth };
}
