// `auto`, the default method: a typicality pick (TypiClust) while the labels are too few per class
// for a trained head to be trusted, an uncertainty pick once they are not. The switch point and
// the uncertainty method were chosen on real photographs (bench/results/selection-photos.md):
// see AUTO_RULE. The choice and its reason are kept for the caller to show.
import { MIN_LABELLED_IMAGES } from './head/trainedHeadScores';
import { LplGradSelector } from './lplGradSelector';
import type { SelectedItem, SelectionOptions, SelectionPool, Selector } from './types';
import { TypiClustSelector } from './typiClustSelector';

/**
 * Chosen on cifar10-dev with the reference encoder (bench/results/selection-photos-reference.md):
 * LPLgrad rounds that began with 1-4 labels per class lost 3-4 points to TypiClust at 50 and 100
 * labels, while rounds that began with 7 or more per class ended 1.4 points above it at 200, and
 * LPLgrad beat margin at 100 and 200.
 */
export const AUTO_RULE = {
  /** Mean labelled images per known class below which the label-free pick runs. */
  minLabelsPerClass: 10,
  labelFree: 'typiclust' as const,
  withLabels: 'lplgrad' as const,
};

/** The methods `auto` hands over to. */
export type AutoMethod = typeof AUTO_RULE.labelFree | typeof AUTO_RULE.withLabels;

/**
 * The selectors for AUTO_RULE's two methods, built here rather than through selectors.ts, which
 * builds this one (a new method in AUTO_RULE is a type error until it is added here).
 */
const HAND_OVER: Record<AutoMethod, () => Selector> = {
  typiclust: () => new TypiClustSelector(),
  lplgrad: () => new LplGradSelector(),
};

export interface AutoChoice {
  method: AutoMethod;
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
  return {
    method: AUTO_RULE.withLabels,
    reason: `${perClass.toFixed(1)} labelled images per class (at least ${AUTO_RULE.minLabelsPerClass}): the images whose prediction entropy a classifier trained on them is least sure about (LPLgrad)`,
  };
}

export class AutoSelector implements Selector {
  readonly method = 'auto' as const;
  /** What the last select() ran, and why. */
  lastChoice: AutoChoice | undefined;

  async select(pool: SelectionPool, options: SelectionOptions): Promise<SelectedItem[]> {
    const choice = chooseAutoMethod(pool);
    this.lastChoice = choice;
    return HAND_OVER[choice.method]().select(pool, options);
  }
}
