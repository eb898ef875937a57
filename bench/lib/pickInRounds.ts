// One benchmark run of one method at one budget: which pool images it would have had labelled.
// Label-free methods pick the whole budget at once. Label-needing methods cannot start from
// nothing, so they start from a TypiClust pick of `initialLabels` images (the cold-start method
// this project recommends) and reach the budget in up to `rounds` equal rounds, each trained on
// the true classes of everything picked so far. `auto` runs the same rounds from zero labels and
// chooses its method each round; the log says what it chose.
import { AutoSelector } from '../../src/core/select/autoSelector';
import { FreeSelSelector } from '../../src/core/select/freeSelSelector';
import type { MatrixKernels } from '../../src/core/math/matrixKernels';
import { ProbCoverSelector } from '../../src/core/select/probCoverSelector';
import { selectorFor } from '../../src/core/select/selectors';
import { TYPICLUST_DIMS, TYPICLUST_WHITEN_SHRINKAGE, TypiClustSelector } from '../../src/core/select/typiClustSelector';
import { DEFAULT_PATTERN_COUNT } from '../../src/core/select/semanticPatterns';
import type { PatternSets, SelectionMethod, SelectionPool, Selector } from '../../src/core/select/types';
import { pickRows, type VectorRows } from '../../src/core/math/vectorRows';
import type { EmbeddedSplit } from './photoDevSet';

export const ROUND_METHODS = { initialLabels: 10, rounds: 3, needLabels: ['lplgrad', 'entropy', 'margin', 'least-confidence'] };

export interface RoundLog {
  budget: number;
  seed: number;
  round: number;
  labelled: number;
  method: string;
  reason: string;
}

/** The pattern sets of the given items, in that order. */
export function subsetPatterns(sets: PatternSets, indices: number[]): PatternSets {
  const { width } = sets.vectors;
  const offsets = new Int32Array(indices.length + 1);
  indices.forEach((index, i) => (offsets[i + 1] = offsets[i] + sets.offsets[index + 1] - sets.offsets[index]));
  const data = new Float32Array(offsets[indices.length] * width);
  indices.forEach((index, i) => data.set(sets.vectors.data.subarray(sets.offsets[index] * width, sets.offsets[index + 1] * width), offsets[i] * width));
  return { vectors: { data, rows: offsets[indices.length], width }, offsets };
}

function selectorForKey(key: string): { selector: Selector; patternCount: number } {
  if (key === 'freesel-ff') return { selector: new FreeSelSelector('farthest-first'), patternCount: DEFAULT_PATTERN_COUNT };
  const k = /^freesel-k(\d+)$/.exec(key);
  if (k) return { selector: new FreeSelSelector('d2-sampling'), patternCount: Number(k[1]) };
  // Variants: typiclust-full (all embedding dims, not whitened, neighbours in the pool),
  // typiclust-in-cluster and typiclust-over-pool (neighbours always sought in the cluster, as the
  // paper does, or always in the pool), typiclust-unwhitened (128 principal directions as they
  // are, neighbours in the pool), probcover-pca<D> (the graph in D principal directions).
  if (key === 'typiclust-full') return { selector: new TypiClustSelector({ typicality: 'pool' }), patternCount: DEFAULT_PATTERN_COUNT };
  if (key === 'typiclust-in-cluster') return { selector: new TypiClustSelector({ dims: TYPICLUST_DIMS, typicality: 'cluster', whitenShrinkage: TYPICLUST_WHITEN_SHRINKAGE }), patternCount: DEFAULT_PATTERN_COUNT };
  if (key === 'typiclust-over-pool') return { selector: new TypiClustSelector({ dims: TYPICLUST_DIMS, typicality: 'pool', whitenShrinkage: TYPICLUST_WHITEN_SHRINKAGE }), patternCount: DEFAULT_PATTERN_COUNT };
  if (key === 'typiclust-unwhitened') return { selector: new TypiClustSelector({ dims: TYPICLUST_DIMS, typicality: 'pool' }), patternCount: DEFAULT_PATTERN_COUNT };
  const reduced = /^probcover-pca(\d+)$/.exec(key);
  if (reduced) return { selector: new ProbCoverSelector({ dims: Number(reduced[1]) }), patternCount: DEFAULT_PATTERN_COUNT };
  return { selector: selectorFor(key as SelectionMethod), patternCount: DEFAULT_PATTERN_COUNT };
}

/**
 * The selection pool once the `labelled` rows have their true classes: every other row is a
 * candidate, in index order (`candidates[i]` is the row of the pool's unlabelled row i).
 */
export function poolWithLabelled(data: { rows: VectorRows; labels: Int32Array }, labelled: readonly number[], classNames: string[]): { pool: SelectionPool; candidates: number[] } {
  const taken = new Set(labelled);
  const candidates = Array.from({ length: data.rows.rows }, (_, i) => i).filter((i) => !taken.has(i));
  const pool: SelectionPool = {
    unlabelled: pickRows(data.rows, candidates),
    labelled: pickRows(data.rows, labelled),
    labels: Int32Array.from(labelled, (i) => data.labels[i]),
    classNames,
  };
  return { pool, candidates };
}

/** Pool indices picked by `key`, in order, and for round-based methods what ran in each round. */
export async function pickInRounds(key: string, data: EmbeddedSplit, classNames: string[], budget: number, seed: number, kernels: MatrixKernels): Promise<{ picks: number[]; log: RoundLog[] }> {
  const { selector, patternCount } = selectorForKey(key);
  const labelled: number[] = [];
  const log: RoundLog[] = [];
  const pickWith = async (chosen: Selector, count: number, round: number): Promise<void> => {
    const { pool, candidates } = poolWithLabelled(data, labelled, classNames);
    const sets = data.patterns.get(patternCount);
    if (key.startsWith('freesel') || key === 'auto') {
      if (sets) {
        pool.unlabelledPatterns = subsetPatterns(sets, candidates);
        pool.labelledPatterns = subsetPatterns(sets, labelled);
      } else {
        pool.unlabelledPatterns = { vectors: pool.unlabelled, offsets: Int32Array.from({ length: candidates.length + 1 }, (_, i) => i) };
        pool.labelledPatterns = { vectors: pool.labelled, offsets: Int32Array.from({ length: labelled.length + 1 }, (_, i) => i) };
      }
    }
    const picks = await chosen.select(pool, { budget: count, seed: seed * 1000 + round, kernels });
    if (chosen instanceof AutoSelector && chosen.lastChoice) log.push({ budget, seed, round, labelled: labelled.length, ...chosen.lastChoice });
    for (const pick of picks) labelled.push(candidates[pick.index]);
  };

  if (ROUND_METHODS.needLabels.includes(key)) {
    await pickWith(selectorFor('typiclust'), Math.min(ROUND_METHODS.initialLabels, budget), 0);
  }
  if (ROUND_METHODS.needLabels.includes(key) || key === 'auto') {
    const rounds = Math.min(ROUND_METHODS.rounds, budget - labelled.length);
    for (let round = 1; round <= rounds; round++) {
      const step = Math.ceil((budget - labelled.length) / (rounds - round + 1));
      if (step > 0) await pickWith(selector, step, round);
    }
  } else {
    await pickWith(selector, budget, 0);
  }
  return { picks: labelled, log };
}
