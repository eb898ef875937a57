// One place that maps a method name to its selector.
import { AutoSelector } from './autoSelector';
import { EntropySelector } from './entropySelector';
import { FreeSelSelector } from './freeSelSelector';
import { KCenterGreedySelector } from './kCenterGreedySelector';
import { LeastConfidenceSelector } from './leastConfidenceSelector';
import { LplGradSelector } from './lplGradSelector';
import { MarginSelector } from './marginSelector';
import { ProbCoverSelector } from './probCoverSelector';
import { RandomSelector } from './randomSelector';
import { TypiClustSelector } from './typiClustSelector';
import type { SelectionMethod, Selector } from './types';

export interface SelectorOptions {
  /** FreeSel: always take the farthest pattern instead of D^2 sampling. */
  farthestFirst?: boolean;
}

export function selectorFor(method: SelectionMethod, options: SelectorOptions = {}): Selector {
  switch (method) {
    case 'auto':
      return new AutoSelector();
    case 'typiclust':
      return new TypiClustSelector();
    case 'probcover':
      return new ProbCoverSelector();
    case 'freesel':
      return new FreeSelSelector(options.farthestFirst ? 'farthest-first' : 'd2-sampling');
    case 'lplgrad':
      return new LplGradSelector();
    case 'random':
      return new RandomSelector();
    case 'entropy':
      return new EntropySelector();
    case 'margin':
      return new MarginSelector();
    case 'least-confidence':
      return new LeastConfidenceSelector();
    case 'kcenter':
      return new KCenterGreedySelector();
  }
}

/** One line per method: what it does and when to use it (CLI help and the extension's quick pick). */
export const METHOD_DESCRIPTIONS: Record<SelectionMethod, { label: string; description: string }> = {
  auto: { label: 'Auto (recommended)', description: 'TypiClust while labels are few per class (under 10), then LPLgrad once a classifier can be trained on them; says which ran and why.' },
  typiclust: { label: 'TypiClust', description: 'The most typical image of each of the largest clusters nothing labelled covers yet. Label-free; best with few labels per class.' },
  probcover: { label: 'ProbCover', description: 'Greedy coverage of the embedding space with balls of a label-free radius (purity rule). Label-free; for few labels per class.' },
  freesel: { label: 'FreeSel', description: 'Diverse picks by semantic-pattern distance; no labels or training needed. Use first, or when few labels exist.' },
  lplgrad: { label: 'LPLgrad', description: 'Largest entropy-gradient norm of a head trained on your labels. Use once every class has some labels.' },
  random: { label: 'Random', description: 'Uniform seeded sample. The baseline; also the unbiased choice for an evaluation set.' },
  entropy: { label: 'Entropy', description: 'Most uncertain predictions of a head trained on your labels (highest entropy).' },
  margin: { label: 'Margin', description: 'Smallest gap between the two likeliest classes: finds confusions between class pairs.' },
  'least-confidence': { label: 'Least confidence', description: 'Lowest top-class probability of a head trained on your labels.' },
  kcenter: { label: 'k-center greedy', description: 'Core-Set: farthest image from everything labelled or picked, on global embeddings. Label-free.' },
};
