// The baseline every selection method has to beat: a seeded uniform sample without replacement.
import { SeededRandom } from '../math/seededRandom';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export class RandomSelector implements Selector {
  readonly method = 'random' as const;

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const budget = Math.min(Math.max(0, Math.floor(options.budget)), pool.unlabelled.rows);
    const order = new SeededRandom(options.seed).permutation(pool.unlabelled.rows).slice(0, budget);
    // No number explains a random pick; the score just keeps the ranks in order.
    return order.map((index, position) => ({ index, score: budget - position, why: {} }));
  }
}
