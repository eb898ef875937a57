// LPLgrad (Gul et al., 2024): the unlabelled images whose prediction entropy has the largest gradient norm
// over the main head's parameters, from a head trained jointly with a loss-prediction module.
// The LPM's estimate l_hat is reported beside each pick; the ranking uses the gradient norm only.
import { topByScore } from './rankByScore';
import { trainedHeadScores } from './head/trainedHeadScores';
import type { TrainOptions } from './head/trainHead';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';

export class LplGradSelector implements Selector {
  readonly method = 'lplgrad' as const;

  constructor(private readonly training: Omit<TrainOptions, 'seed'> = {}) {}

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const s = await trainedHeadScores(pool, 'LPLgrad', options.kernels, { ...this.training, seed: options.seed }, options.signal);
    return topByScore(s.gradNorm, options.budget, (i) => ({ gradNorm: s.gradNorm[i], predictedLoss: s.predictedLoss[i], entropy: s.entropy[i] }));
  }
}
