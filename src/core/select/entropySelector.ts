// Uncertainty baseline: the images whose predicted class distribution has the highest entropy.
import { topByScore } from './rankByScore';
import { trainedHeadScores } from './head/trainedHeadScores';
import type { TrainOptions } from './head/trainHead';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export class EntropySelector implements Selector {
  readonly method = 'entropy' as const;

  constructor(private readonly training: Omit<TrainOptions, 'seed'> = {}) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const s = await trainedHeadScores(pool, 'Entropy sampling', options.kernels, { ...this.training, seed: options.seed }, options.signal);
    return topByScore(s.entropy, options.budget, (i) => ({ entropy: s.entropy[i] }));
  }
}
