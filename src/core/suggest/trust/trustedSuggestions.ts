// Makes any method's soft labels safe to act on (openSetCalibration.ts says how): for every
// unlabelled image, the probability shown for a class is the calibrated chance that the image is
// of that class, open-set risk included, and the image carries unknownScore (how unlike the
// labelled classes it is), the probability that its class has no labels yet, and unknownClass
// (that is its single most likely answer).
// The method still picks which classes are suggested; the numbers come from the calibration.
// Labelled images keep the method's out-of-sample evidence untouched (that is what flags them).
import { sphericalKMeans } from '../../math/sphericalKMeans';
import { pickRows, type VectorRows } from '../../math/vectorRows';
import type { LabelledPool, SoftLabels } from '../types';
import { calibrateOpenSet, type NewClassModel, type OpenSetCalibration } from './openSetCalibration';
import { fitPoolWhitening, whitenRows } from './poolWhitening';

export interface OpenSetSummary {
  temperature: number;
  /** Estimated share of the unlabelled images in classes without labels. */
  newClassShare: number;
  /** Unlabelled images marked unknownClass. */
  unknownClassCount: number;
}

export interface TrustedSoftLabels extends SoftLabels {
  /** Per row: the calibrated probability of each labelled class (unlabelled rows sum to 1 - unknownScore). */
  calibrated: Float64Array;
  /**
   * Per row: how unlike the labelled classes the image is, 0-1: the share of held-out labelled
   * images that are more like their class than this image is like any (0 for labelled rows).
   */
  unknownScore: Float64Array;
  /** Per row: the probability that the image's class has no labels (0 for labelled rows). */
  newClassProbability: Float64Array;
  unknownClass: boolean[];
  /** Per row: the group of look-alike "new class?" images it belongs to (1 = largest), 0 for other rows. */
  newClassGroup: Int32Array;
  openSet: OpenSetSummary;
}

export interface TrustOptions {
  seed?: number;
  signal?: AbortSignal;
  /** Whitened rows of the pool when the caller has them already (benchmarks that reuse one pool). */
  whitened?: VectorRows;
  /** Benchmarks only: the earlier estimate of new-class images, side by side with the shipped one. */
  newClassModel?: NewClassModel;
}

export function whitenPool(pool: LabelledPool): VectorRows {
  return whitenRows(pool.features, fitPoolWhitening(pool.features));
}

export function trustSoftLabels(pool: LabelledPool, result: SoftLabels, options: TrustOptions = {}): TrustedSoftLabels {
  const classes = pool.classNames.length;
  const whitened = options.whitened ?? whitenPool(pool);
  const calibration: OpenSetCalibration = calibrateOpenSet(whitened, pool.labels, classes, { seed: options.seed, signal: options.signal, newClassModel: options.newClassModel });
  const calibrated = new Float64Array(pool.labels.length * classes);
  const unknownClass = new Array<boolean>(pool.labels.length).fill(false);
  for (let row = 0; row < pool.labels.length; row++) {
    if (pool.labels[row] >= 0) continue;
    const keep = 1 - calibration.pNew[row];
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const p = keep * calibration.classProbabilities[row * classes + c];
      calibrated[row * classes + c] = p;
      best = Math.max(best, p);
    }
    unknownClass[row] = calibration.pNew[row] > best;
  }
  return {
    ...result,
    calibrated,
    newClassGroup: groupNewClassImages(whitened, unknownClass, options.seed ?? 0),
    unknownScore: Float64Array.from(calibration.pValue, (p, row) => (pool.labels[row] >= 0 ? 0 : 1 - p)),
    newClassProbability: calibration.pNew,
    unknownClass,
    openSet: { temperature: calibration.temperature, newClassShare: calibration.newClassShare, unknownClassCount: unknownClass.filter(Boolean).length },
  };
}

/**
 * Groups the "new class?" images into look-alike sets, each a candidate for a new class folder:
 * spherical k-means on the whitened rows, with k about the square root of half their number (a
 * common rule of thumb when the number of classes is unknown; at most 20 groups, each ideally a
 * few dozen images a person can check at a glance). Groups are numbered largest first.
 */
export function groupNewClassImages(whitened: VectorRows, unknownClass: readonly boolean[], seed: number): Int32Array {
  const rows = [...unknownClass.keys()].filter((row) => unknownClass[row]);
  const groups = new Int32Array(unknownClass.length);
  if (rows.length === 0) return groups;
  const k = Math.max(1, Math.min(20, Math.round(Math.sqrt(rows.length / 2)), rows.length));
  const { assignment } = sphericalKMeans(pickRows(whitened, rows), k, seed);
  const sizes = new Array<number>(k).fill(0);
  for (const cluster of assignment) sizes[cluster]++;
  const order = [...sizes.keys()].sort((a, b) => sizes[b] - sizes[a] || a - b);
  const numberOf = new Int32Array(k);
  order.forEach((cluster, position) => (numberOf[cluster] = position + 1));
  rows.forEach((row, i) => (groups[row] = numberOf[assignment[i]]));
  return groups;
}
