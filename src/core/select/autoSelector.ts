// `auto`, the default method: a typicality pick (TypiClust) while the labels are too few per class
// for a trained head to be trusted, an uncertainty pick once they are not. The switch point and
// the uncertainty method were chosen on real photographs (bench/results/selection-photos.md):
// see AUTO_RULE. The choice and its reason are kept for the caller to show.
import { selectorFor } from './selectors';
import { MIN_LABELLED_IMAGES } from './head/trainedHeadScores';
import type { SelectedItem, SelectionMethod, SelectionOptions, SelectionPool, Selector } from './types';

export const AUTO_RULE = {
  /** Mean labelled images per known class below which the label-free pick runs. */
  minLabelsPerClass: 20,
  labelFree: 'typiclust' as SelectionMethod,
  withLabels: 'margin' as SelectionMethod,
};

export interface AutoChoice {
  method: SelectionMethod;
  reason: string;
}

export function chooseAutoMethod(pool: Pick<SelectionPool, 'labels' | 'classNames' | 'labelled'>): AutoChoice {
  const classes = new Set(pool.labels).size;
  const perClass = classes > 0 ? pool.labelled.rows / Math.max(classes, pool.classNames.length) : 0;
  if (classes < 2 || pool.labelled.rows < MIN_LABELLED_IMAGES) {
    return { method: AUTO_RULE.labelFree, reason: `${pool.labelled.rows} labelled image(s) in ${classes} class(es): too few to train a classifier, so a label-free typicality pick` };
  }
  if (perClass < AUTO_RULE.minLabelsPerClass) {
    return {
      method: AUTO_RULE.labelFree,
      reason: `${perClass.toFixed(1)} labelled images per class (fewer than ${AUTO_RULE.minLabelsPerClass}): a classifier trained on so few picks outliers, so a label-free typicality pick`,
    };
  }
  return { method: AUTO_RULE.withLabels, reason: `${perClass.toFixed(1)} labelled images per class (at least ${AUTO_RULE.minLabelsPerClass}): the images a classifier trained on them is least sure about` };
}

export class AutoSelector implements Selector {
  readonly method = 'auto' as const;
  /** What the last select() ran, and why. */
  lastChoice: AutoChoice | undefined;

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const choice = chooseAutoMethod(pool);
    this.lastChoice = choice;
    return selectorFor(choice.method).select(pool, options);
  }
}
