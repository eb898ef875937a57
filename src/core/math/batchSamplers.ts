// Where a training step's samples come from. A step may combine several weighted parts, which is
// how LPT++'s dual sampling (class-balanced batch + decaying instance batch) is expressed.
import type { SeededRandom } from './seededRandom';

export interface BatchPart {
  indices: number[];
  /** Multiplies this part's mean loss. */
  weight: number;
}

/** Returns the parts of step `step` (0-based) of `steps`. */
export type BatchSampler = (step: number, steps: number) => BatchPart[];

/** Instance-balanced: epochs of shuffled mini-batches, every sample equally often. */
export function instanceSampler(rows: number, batchSize: number, random: SeededRandom): BatchSampler {
  const size = Math.max(1, Math.min(batchSize, rows));
  let order = random.permutation(rows);
  let cursor = 0;
  return () => {
    if (cursor + size > rows) {
      order = random.permutation(rows);
      cursor = 0;
    }
    const indices = order.slice(cursor, cursor + size);
    cursor += size;
    return [{ indices, weight: 1 }];
  };
}

/** Class-balanced: draw a class uniformly, then one of its samples uniformly, batchSize times. */
export function classBalancedSampler(labels: Int32Array, classes: number, batchSize: number, random: SeededRandom): BatchSampler {
  const members: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, i) => members[label].push(i));
  const present = members.filter((m) => m.length > 0);
  return () => {
    const indices: number[] = [];
    for (let i = 0; i < batchSize; i++) {
      const pool = present[random.int(present.length)];
      indices.push(pool[random.int(pool.length)]);
    }
    return [{ indices, weight: 1 }];
  };
}

/**
 * LPT++'s dual sampling: loss = L(class-balanced batch) + w * L(instance batch), w decaying linearly
 * from `startWeight` to 0 over training.
 */
export function dualSampler(balanced: BatchSampler, instance: BatchSampler, startWeight = 0.5): BatchSampler {
  return (step, steps) => {
    const w = startWeight * (1 - step / Math.max(1, steps - 1));
    const parts = [...balanced(step, steps)];
    if (w > 0) parts.push(...instance(step, steps).map((part) => ({ ...part, weight: part.weight * w })));
    return parts;
  };
}
