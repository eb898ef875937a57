// Which score tells images of labelled classes from images of classes without labels? The
// candidates for unknownScore, each as an AUROC on the unlabelled images of the "5 of 10" scenario:
// the best cosine to the class prototypes (on centred embeddings, or on the pool whitened with a
// few settings), that similarity standardised per class, the energy of the prototype logits, and
// the method's own top probability (the usual baseline). The shipped score is the first: max cosine on the pool whitened with 128 directions, shrinkage 1.
import { fitPoolWhitening, whitenRows } from '../../src/core/suggest/trust/poolWhitening';
import { fitTemperature, maxOf, outOfFoldSimilarities } from '../../src/core/suggest/trust/openSetCalibration';
import { centredUnitRows, columnMean, type VectorRows } from '../../src/core/math/vectorRows';
import type { LabelledPool } from '../../src/core/suggest/types';
import { auroc } from './trustMetrics';

export const FEATURE_SETTINGS = [
  { name: 'whitened, 128 directions, shrinkage 1 (shipped)', components: 128, shrinkage: 1 },
  { name: 'whitened, 128 directions, shrinkage 0.1', components: 128, shrinkage: 0.1 },
  { name: 'whitened, 64 directions, shrinkage 0.1', components: 64, shrinkage: 0.1 },
  { name: 'whitened, 256 directions, shrinkage 0.1', components: 256, shrinkage: 0.1 },
  { name: 'centred, not whitened', components: 0, shrinkage: 0 },
] as const;

export const SCORES = ['max prototype cosine', 'cosine standardised per class', 'energy of prototype logits'] as const;

/** Feature sets keyed by setting name, computed once per pool. */
export function featureSets(features: VectorRows): Map<string, VectorRows> {
  const sets = new Map<string, VectorRows>();
  for (const setting of FEATURE_SETTINGS) {
    sets.set(setting.name, setting.components === 0 ? centredUnitRows(features, columnMean([features], features.width)) : whitenRows(features, fitPoolWhitening(features, { components: setting.components, shrinkage: setting.shrinkage })));
  }
  return sets;
}

/** AUROC of each score on each feature set, unknown = positive. */
export function unknownScoreAurocs(sets: Map<string, VectorRows>, pool: LabelledPool, isUnknown: (row: number) => boolean, seed: number): Record<string, number> {
  const classes = pool.classNames.length;
  const out: Record<string, number> = {};
  for (const [name, features] of sets) {
    const sims = outOfFoldSimilarities(features, pool.labels, classes, { folds: 5, seed });
    const { temperature } = fitTemperature(sims.heldOutSims, sims.y, classes);
    // Per class: mean and spread of held-out labelled images' cosine to their own prototype.
    const mean = new Float64Array(classes);
    const spread = new Float64Array(classes);
    const count = new Float64Array(classes);
    sims.y.forEach((c, i) => {
      mean[c] += sims.heldOutSims[i * classes + c];
      count[c]++;
    });
    for (let c = 0; c < classes; c++) mean[c] /= Math.max(1, count[c]);
    sims.y.forEach((c, i) => (spread[c] += (sims.heldOutSims[i * classes + c] - mean[c]) ** 2));
    for (let c = 0; c < classes; c++) spread[c] = Math.sqrt(spread[c] / Math.max(1, count[c] - 1)) || 1;
    const truth = sims.unlabelled.map(isUnknown);
    const at = (row: number) => row * classes;
    const scores: Record<(typeof SCORES)[number], number[]> = {
      'max prototype cosine': sims.unlabelled.map((row) => -maxOf(sims.unlabelledSims, at(row), classes)),
      'cosine standardised per class': sims.unlabelled.map((row) => {
        let best = -Infinity;
        for (let c = 0; c < classes; c++) best = Math.max(best, (sims.unlabelledSims[at(row) + c] - mean[c]) / spread[c]);
        return -best;
      }),
      'energy of prototype logits': sims.unlabelled.map((row) => {
        const max = maxOf(sims.unlabelledSims, at(row), classes);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp((sims.unlabelledSims[at(row) + c] - max) / temperature);
        return -(max / temperature + Math.log(sum));
      }),
    };
    for (const score of SCORES) out[`${name}|${score}`] = auroc(scores[score], truth);
  }
  return out;
}
