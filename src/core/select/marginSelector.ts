// Uncertainty baseline: the images with the smallest gap between the two most likely classes.
import { topByScore } from './rankByScore';
import { trainedHeadScores } from './head/trainedHeadScores';
import type { TrainOptions } from './head/trainHead';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export class MarginSelector implements Selector {
  readonly method = 'margin' as const;

  constructor(private readonly training: Omit<TrainOptions, 'seed'> = {}) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const s = await trainedHeadScores(pool, 'Margin sampling', options.kernels, { ...this.training, seed: options.seed }, options.signal);
    return topByScore(s.margin.map((m) => -m), options.budget, (i) => ({ margin: s.margin[i] }));
  }
}
