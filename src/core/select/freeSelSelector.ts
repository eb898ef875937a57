// FreeSel (Xie et al., NeurIPS 2023): label-free selection by distances between per-image semantic
// patterns, D^2-sampled (or farthest-first), seeded. See METHODS.md section 1.
import { selectByCoverage, type CoverageRule } from './patternCoverage';
import { SeededRandom } from '../math/seededRandom';
import { SelectionUnavailableError, type PatternSets, type SelectedItem, type SelectionOptions, type SelectionPool, type Selector } from './types';
import { centredUnitRows, columnMean } from '../math/vectorRows';

export class FreeSelSelector implements Selector {
  readonly method = 'freesel' as const;

  constructor(private readonly rule: CoverageRule = 'd2-sampling') {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const patterns = pool.unlabelledPatterns;
    if (!patterns) throw new SelectionUnavailableError('FreeSel needs semantic patterns for the pool: run the embedding step again to compute them.');
    const { width } = patterns.vectors;
    // Local features come from ReLU maps (all non-negative): centre on the mean pattern of the
    // whole dataset before comparing directions, then renormalise.
    const blocks = [patterns.vectors, ...(pool.labelledPatterns ? [pool.labelledPatterns.vectors] : [])];
    const mean = columnMean(blocks, width);
    const centred: PatternSets = { vectors: centredUnitRows(patterns.vectors, mean), offsets: patterns.offsets };
    const covered = pool.labelledPatterns ? centredUnitRows(pool.labelledPatterns.vectors, mean) : undefined;
    const picks = await selectByCoverage(centred, covered, this.rule, {
      budget: options.budget,
      random: new SeededRandom(options.seed),
      kernels: options.kernels,
      signal: options.signal,
    });
    return picks.map(({ item, distance }) => ({
      index: item,
      score: distance ?? 0,
      why: withDistance({ patterns: patternCount(patterns, item) }, distance),
    }));
  }
}

/** The first pick of an unlabelled dataset is uniform at random: it has no distance to report. */
export function withDistance(why: Record<string, number>, distance: number | undefined): Record<string, number> {
  return distance === undefined ? why : { distance, ...why };
}

function patternCount(patterns: PatternSets, item: number): number {
  return patterns.offsets[item + 1] - patterns.offsets[item];
}
