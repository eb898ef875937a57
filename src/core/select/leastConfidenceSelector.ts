// Uncertainty baseline: the images whose most likely class has the lowest probability.
import { topByScore } from './rankByScore';
import { trainedHeadScores } from './head/trainedHeadScores';
import type { TrainOptions } from './head/trainHead';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export class LeastConfidenceSelector implements Selector {
  readonly method = 'least-confidence' as const;

  constructor(private readonly training: Omit<TrainOptions, 'seed'> = {}) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const s = await trainedHeadScores(pool, 'Least-confidence sampling', options.kernels, { ...this.training, seed: options.seed }, options.signal);
    return topByScore(s.maxProbability.map((p) => 1 - p), options.budget, (i) => ({ maxProbability: s.maxProbability[i] }));
  }
}
