// k-center greedy (Core-Set, Sener & Savarese 2018) on global embeddings: repeatedly take the
// image farthest (cosine, after centring) from everything selected or labelled so far.
import { withDistance } from './freeSelSelector';
import { selectByCoverage } from './patternCoverage';
import { SeededRandom } from '../math/seededRandom';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';
import { centredUnitRows, columnMean } from '../math/vectorRows';

export class KCenterGreedySelector implements Selector {
  readonly method = 'kcenter' as const;

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const { width } = pool.unlabelled;
    const mean = columnMean([pool.unlabelled, pool.labelled], width);
    const items = pool.unlabelled.rows;
    // Each image is its own single pattern.
    const offsets = Int32Array.from({ length: items + 1 }, (_, i) => i);
    const picks = await selectByCoverage(
      { vectors: centredUnitRows(pool.unlabelled, mean), offsets },
      pool.labelled.rows > 0 ? centredUnitRows(pool.labelled, mean) : undefined,
      'farthest-first',
      { budget: options.budget, random: new SeededRandom(options.seed), kernels: options.kernels, signal: options.signal },
    );
    return picks.map(({ item, distance }) => ({ index: item, score: distance ?? 0, why: withDistance({}, distance) }));
  }
}
