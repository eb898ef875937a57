// LPT++ on frozen embeddings (METHODS.md section 4): a mixture of long-tailed experts.
//  Phase 1, shared adaptation: every expert's features are centred on the mean of all images
//    (labelled and unlabelled) and scaled to unit length. This is fitted, not trained: there is no
//    learned adapter here (LPT's shared prompt has no counterpart on frozen pooled embeddings).
//  Phase 2, expert heads: one cosine classifier (scale 20) per expert (an embedding from another
//    model or layer), trained with dual sampling: loss = L(class-balanced batch)
//    + w * L(instance batch), w decaying linearly from 0.5 to 0.
//  Phase 3, scorer: the MoE scorer MLP, trained alone on the experts' out-of-fold predictions
//    (a head's predictions on its own training images are overconfident, and the scorer would
//    learn to trust that), class-balanced.
// Prediction: p = sum_e w_e(x) p_e(x), with the experts trained on every labelled image.
// A fixed expert (the zero-shot visual-language expert, zeroShot/zeroShotExpert.ts) brings its own
// probabilities: it skips phases 1 and 2 and joins the scorer like the others.
import { classBalancedSampler, dualSampler, instanceSampler } from '../../math/batchSamplers';
import { predictProbabilities, type LinearHead } from '../../math/linearHead';
import { SeededRandom } from '../../math/seededRandom';
import { crossEntropy } from '../../math/softmaxLosses';
import { stratifiedFolds } from '../../math/stratifiedFolds';
import { trainLinearHead } from '../../math/trainLinearHead';
import { centredUnitRows, columnMean, pickRows, type VectorRows } from '../../math/vectorRows';
import { DEFAULT_ISSUE_CONFIDENCE, isLabelIssue, labelEvidence, requireTrainableLabels, type LabelledPool, type SoftLabels } from '../types';
import { mixPrediction, trainMoeScorer, type MoeScorer } from './moeScorer';

/** A visual expert: a frozen encoder's embeddings, one row per pool row; the mixture trains its head. */
export interface FeatureExpert {
  name: string;
  features: VectorRows;
}

/**
 * An expert whose class probabilities are given, [rows, classes] (the zero-shot visual-language
 * expert). Nothing of it is trained here, so its predictions on labelled rows are out-of-sample.
 */
export interface FixedExpert {
  name: string;
  probabilities: Float64Array;
}

export type Expert = FeatureExpert | FixedExpert;

export interface MixtureOptions {
  seed?: number;
  epochs?: number;
  cosineScale?: number;
  learningRate?: number;
  folds?: number;
  scorerSteps?: number;
  issueConfidence?: number;
  signal?: AbortSignal;
}

export const MIXTURE_DEFAULTS = { seed: 0, epochs: 30, cosineScale: 20, learningRate: 0.01, folds: 3, scorerSteps: 300, issueConfidence: DEFAULT_ISSUE_CONFIDENCE };
const BATCH = 64;

export interface MixtureResult extends SoftLabels {
  expertNames: string[];
  /** [rows, experts]: the scorer's weight of each expert per image. */
  expertWeights: Float64Array;
  /** Each expert's own probabilities, [rows, classes] per expert. */
  expertProbabilities: Float64Array[];
}

export class LongTailMixture {
  private readonly o: typeof MIXTURE_DEFAULTS & { signal?: AbortSignal };

  constructor(options: MixtureOptions = {}) {
    this.o = { ...MIXTURE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  /** `experts[0]` is usually the pool's own embedding; every expert has one row per pool row. */
  run(pool: LabelledPool, experts: Expert[]): MixtureResult {
    requireTrainableLabels(pool, 'The mixture of long-tailed experts');
    if (experts.length === 0) throw new Error('The mixture needs at least one expert.');
    const classes = pool.classNames.length;
    const rows = pool.labels.length;
    for (const expert of experts) {
      if ('probabilities' in expert && expert.probabilities.length !== rows * classes) {
        throw new Error(`Expert ${expert.name} gives ${expert.probabilities.length} probabilities; the pool needs ${rows} rows of ${classes} classes.`);
      }
    }
    // Phase 1: shared adaptation (fitted normalisation) of the visual experts' features.
    const adapted = experts.map((expert) => ('features' in expert ? centredUnitRows(expert.features, columnMean([expert.features], expert.features.width)) : null));
    const labelledRows = [...pool.labels.keys()].filter((i) => pool.labels[i] >= 0);
    const y = Int32Array.from(labelledRows, (i) => pool.labels[i]);

    // Phase 2 on held-out folds: out-of-fold expert predictions for the scorer and the flags.
    const fold = stratifiedFolds(y, Math.max(2, Math.min(this.o.folds, labelledRows.length)), this.o.seed);
    const outOfFold = adapted.map(() => new Float64Array(labelledRows.length * classes));
    for (let f = 0; f < this.o.folds; f++) {
      const train = [...fold.keys()].filter((i) => fold[i] !== f);
      const held = [...fold.keys()].filter((i) => fold[i] === f);
      if (held.length === 0 || train.length === 0) continue;
      adapted.forEach((features, e) => {
        if (features === null) return;
        const head = this.trainExpert(pickRows(features, train.map((i) => labelledRows[i])), Int32Array.from(train, (i) => y[i]), classes, this.o.seed + 10 * f + e);
        const p = predictProbabilities(head, pickRows(features, held.map((i) => labelledRows[i])));
        held.forEach((row, i) => outOfFold[e].set(p.subarray(i * classes, (i + 1) * classes), row * classes));
      });
    }

    experts.forEach((expert, e) => {
      if ('probabilities' in expert) labelledRows.forEach((row, i) => outOfFold[e].set(expert.probabilities.subarray(row * classes, (row + 1) * classes), i * classes));
    });

    // Phase 3: the scorer alone, on out-of-fold predictions, class-balanced.
    const scorer = this.trainScorer(outOfFold, y, classes);

    // Final experts on every labelled image, mixed for every image.
    const expertProbabilities = experts.map((expert, e) => {
      if ('probabilities' in expert) return expert.probabilities;
      const features = adapted[e]!;
      return predictProbabilities(this.trainExpert(pickRows(features, labelledRows), y, classes, this.o.seed + 1000 + e), features);
    });
    const probabilities = new Float64Array(rows * classes);
    const expertWeights = new Float64Array(rows * experts.length);
    for (let row = 0; row < rows; row++) {
      const { p, weights } = mixPrediction(scorer, expertProbabilities.map((pe) => pe.subarray(row * classes, (row + 1) * classes)));
      probabilities.set(p, row * classes);
      expertWeights.set(weights, row * experts.length);
    }
    // Flags from the out-of-fold mixture, so a wrong label cannot vouch for itself.
    const evidence: SoftLabels['evidence'] = new Array(rows).fill(null);
    labelledRows.forEach((row, i) => {
      const { p } = mixPrediction(scorer, outOfFold.map((pe) => pe.subarray(i * classes, (i + 1) * classes)));
      evidence[row] = labelEvidence(p, pool.labels[row]);
    });
    const issues = evidence.map((e) => e !== null && isLabelIssue(e, this.o.issueConfidence));
    return { classNames: pool.classNames, probabilities, evidence, issues, expertNames: experts.map((e) => e.name), expertWeights, expertProbabilities };
  }

  /** Phase 2: a cosine classifier with dual sampling. */
  trainExpert(x: VectorRows, y: Int32Array, classes: number, seed: number): LinearHead {
    const random = new SeededRandom(seed);
    const sampler = dualSampler(classBalancedSampler(y, classes, BATCH, random), instanceSampler(x.rows, BATCH, random), 0.5);
    return trainLinearHead(x, crossEntropy(y), {
      classes,
      seed,
      steps: Math.max(1, Math.round((this.o.epochs * x.rows) / BATCH)),
      learningRate: this.o.learningRate,
      cosineScale: this.o.cosineScale,
      sampler,
      signal: this.o.signal,
    });
  }

  private trainScorer(outOfFold: Float64Array[], y: Int32Array, classes: number): MoeScorer {
    const random = new SeededRandom(this.o.seed + 7);
    return trainMoeScorer({
      expertProbabilities: Array.from(y, (_, i) => outOfFold.map((pe) => pe.slice(i * classes, (i + 1) * classes))),
      labels: y,
      sampler: classBalancedSampler(y, classes, BATCH, random),
      steps: this.o.scorerSteps,
      seed: this.o.seed + 8,
    });
  }
}
