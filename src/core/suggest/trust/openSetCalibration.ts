// Honest probabilities for unlabelled images when the pool may hold classes without labels.
//
// 1. Prototype classifier on the whitened pool (poolWhitening.ts): each labelled class is the
//    mean of its labelled images; an image's similarity to a class is its cosine to that mean.
// 2. Cross-validated temperature: the labelled images are split into stratified folds; each fold
//    is scored against prototypes built without it, and the temperature T of softmax(sim / T) is
//    the one that minimises the held-out negative log-likelihood. So the class probabilities are
//    as sure as held-out labelled images show the prototypes to be, no surer.
// 3. Open-set risk. A held-out labelled image's best similarity to the (out-of-fold) prototypes is
//    what an image of a labelled class looks like; an unlabelled image's p-value is the share of
//    held-out labelled images whose best similarity is at most its own. Images of labelled classes
//    have uniform p-values; images of classes without labels lean to small ones, and how far they
//    lean is measured too: each labelled class in turn plays a class without labels, and its
//    images' p-values against the other classes give the density of a new class's p-values.
//    The unlabelled p-values are then a mixture of the two, whose shares are fitted by maximum
//    likelihood, and each image's posterior probability of belonging to a class without labels
//    follows. No fixed cut-off: how much of the pool is new, and how atypical an image must be
//    to be called new, are measured on this pool and its labels. With very few labels or
//    unlabelled images (MIXTURE_MIN) the share comes from the tail of the p-values instead.
//    Why not only the tail of the p-values (Storey's estimate, the first version): it counts as
//    known every new-class image that looks typical, and a weak encoder leaves many such images;
//    on photographs with 5 of 10 classes labelled it let Accept sure file 45 wrong labels where
//    the mixture lets it file none or one (bench/results/trust.md).
// 4. Shown probability of class c: (1 - p(new)) * calibrated p(c | a labelled class). An image is
//    marked unknownClass when "a class without labels" is its single most likely answer.
import { stratifiedFolds } from '../../math/stratifiedFolds';
import type { VectorRows } from '../../math/vectorRows';

export interface OpenSetOptions {
  folds?: number;
  seed?: number;
  /** Width of the p-value histogram's bins. */
  binWidth?: number;
  /**
   * How the share and posterior of new-class images are estimated: from simulated new classes
   * (the default), or from the tail of the p-values alone (the first version, kept for comparison).
   */
  newClassModel?: NewClassModel;
  signal?: AbortSignal;
}

export type NewClassModel = 'held-out classes' | 'p-value tail';

/**
 * The mixture needs a density of simulated new-class p-values and enough unlabelled ones to fit
 * shares to: below these counts (a handful of labels per class, a few dozen unlabelled images) a
 * histogram of them is noise, the fitted share runs to 0 or 1, and the tail estimate is used.
 */
export const MIXTURE_MIN = { simulated: 50, unlabelled: 100 };

export const OPEN_SET_DEFAULTS = { folds: 5, seed: 0, binWidth: 0.05, newClassModel: 'held-out classes' as NewClassModel };

export interface OpenSetCalibration {
  /** Temperature of softmax(similarity / T) over the labelled classes, fitted out-of-fold. */
  temperature: number;
  /** Held-out negative log-likelihood at that temperature (per labelled image). */
  heldOutNll: number;
  /** Estimated share of the unlabelled images that belong to classes without labels. */
  newClassShare: number;
  /** Per row of the pool: calibrated p(class | a labelled class), [rows, classes] (labelled rows: out-of-fold). */
  classProbabilities: Float64Array;
  /** Per row: p-value of its best similarity among held-out labelled images (small = unlike them). */
  pValue: Float64Array;
  /** Per row: posterior probability of a class without labels (0 for labelled rows). */
  pNew: Float64Array;
}

/**
 * `features` are whitened, unit-length rows of the whole pool; `labels` the class per row
 * (-1 = unlabelled). Needs at least 2 labelled images in each of 2 classes.
 */
export function calibrateOpenSet(features: VectorRows, labels: Int32Array, classes: number, options: OpenSetOptions = {}): OpenSetCalibration {
  const o: typeof OPEN_SET_DEFAULTS & { signal?: AbortSignal } = { ...OPEN_SET_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const { labelled, unlabelled, y, heldOutSims, unlabelledSims } = outOfFoldSimilarities(features, labels, classes, o);
  const { temperature, nll } = fitTemperature(heldOutSims, y, classes);
  const classProbabilities = new Float64Array(labels.length * classes);
  labelled.forEach((row, i) => softmaxScaled(heldOutSims, i * classes, classes, temperature, classProbabilities, row * classes));
  for (const row of unlabelled) softmaxScaled(unlabelledSims, row * classes, classes, temperature, classProbabilities, row * classes);

  // How typical: the best similarity to any labelled class, against held-out labelled images.
  const reference = Float64Array.from(labelled, (_, i) => maxOf(heldOutSims, i * classes, classes)).sort();
  const pValue = new Float64Array(labels.length).fill(1);
  for (const row of unlabelled) pValue[row] = empiricalPValue(reference, maxOf(unlabelledSims, row * classes, classes));
  const unlabelledP = Float64Array.from(unlabelled, (row) => pValue[row]);
  const simulated = o.newClassModel === 'held-out classes' ? simulatedNewClassPValues(heldOutSims, y, classes) : new Float64Array(0);
  const fitMixture = simulated.length >= MIXTURE_MIN.simulated && unlabelledP.length >= MIXTURE_MIN.unlabelled;
  const { pNew, newShare } = fitMixture ? mixturePosterior(unlabelledP, simulated) : newClassPosterior(unlabelledP, o.binWidth);
  const pNewByRow = new Float64Array(labels.length);
  unlabelled.forEach((row, i) => (pNewByRow[row] = pNew[i]));
  return { temperature, heldOutNll: nll, newClassShare: newShare, classProbabilities, pValue, pNew: pNewByRow };
}

export interface OutOfFoldSimilarities {
  labelled: number[];
  unlabelled: number[];
  /** Class of each labelled row, in `labelled` order. */
  y: Int32Array;
  /** [labelled, classes]: each labelled row against prototypes built without its fold. */
  heldOutSims: Float64Array;
  /** [rows, classes]: unlabelled rows against each fold's prototypes, averaged (zero for labelled rows). */
  unlabelledSims: Float64Array;
}

/**
 * Cosine similarities to the class prototypes. Held-out labelled rows use the fold that left them
 * out; unlabelled rows average over the folds, so both see prototypes built from as many images.
 */
export function outOfFoldSimilarities(features: VectorRows, labels: Int32Array, classes: number, options: { folds: number; seed: number; signal?: AbortSignal }): OutOfFoldSimilarities {
  const labelled = [...labels.keys()].filter((row) => labels[row] >= 0);
  const unlabelled = [...labels.keys()].filter((row) => labels[row] < 0);
  const y = Int32Array.from(labelled, (row) => labels[row]);
  const smallestClass = Math.min(...countPerClass(y, classes).filter((n) => n > 0));
  const folds = Math.max(2, Math.min(options.folds, smallestClass));
  const fold = stratifiedFolds(y, folds, options.seed);
  const heldOutSims = new Float64Array(labelled.length * classes);
  const unlabelledSims = new Float64Array(labels.length * classes);
  const sims = new Float64Array(classes);
  for (let f = 0; f < folds; f++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const prototypes = classPrototypes(features, labelled.filter((_, i) => fold[i] !== f), labels, classes);
    labelled.forEach((row, i) => {
      if (fold[i] === f) similaritiesInto(features, row, prototypes, classes, heldOutSims, i * classes);
    });
    for (const row of unlabelled) {
      similaritiesInto(features, row, prototypes, classes, sims, 0);
      for (let c = 0; c < classes; c++) unlabelledSims[row * classes + c] += sims[c] / folds;
    }
  }
  return { labelled, unlabelled, y, heldOutSims, unlabelledSims };
}

/**
 * Posterior probability of "a class without labels" for each p-value from the tail alone:
 * known-class p-values are uniform (density 1), so with a share `known` of them (Storey's
 * estimate) the posterior is 1 - known / density.
 */
export function newClassPosterior(pValues: Float64Array, binWidth: number): { pNew: Float64Array; newShare: number } {
  const n = pValues.length;
  if (n === 0) return { pNew: new Float64Array(0), newShare: 0 };
  // Storey's estimate with lambda = 1/2: above it nearly all p-values are from known classes.
  const above = pValues.filter((p) => p > 0.5).length;
  const known = Math.min(1, above / (0.5 * n));
  const bins = Math.max(1, Math.round(1 / binWidth));
  const counts = new Float64Array(bins);
  for (const p of pValues) counts[Math.min(bins - 1, Math.floor(p * bins))]++;
  // Density per bin, made non-increasing in the p-value (pool adjacent violators): an image less
  // typical than another is never judged less likely to be new.
  const density = nonIncreasing(Array.from(counts, (count) => (count / n) * bins));
  const posteriorAt = density.map((d) => (d > 0 ? Math.max(0, 1 - known / d) : 0));
  // Linear between bin centres, so images just either side of a bin edge get nearly the same value.
  const pNew = Float64Array.from(pValues, (p) => {
    const at = p * bins - 0.5;
    const lo = Math.max(0, Math.min(bins - 1, Math.floor(at)));
    const hi = Math.min(bins - 1, lo + 1);
    const t = Math.max(0, Math.min(1, at - lo));
    return posteriorAt[lo] * (1 - t) + posteriorAt[hi] * t;
  });
  return { pNew, newShare: 1 - known };
}

/**
 * What an image of a class without labels looks like to this pool's prototypes: each labelled
 * class in turn plays the unlabelled one. Its images' best out-of-fold similarity to the other
 * classes is turned into a p-value against the other classes' own held-out images.
 */
export function simulatedNewClassPValues(heldOutSims: Float64Array, y: Int32Array, classes: number): Float64Array {
  const present = [...new Set(y)];
  if (present.length < 2) return new Float64Array(0);
  const out: number[] = [];
  for (const hidden of present) {
    const bestOther = (i: number): number => {
      let best = -Infinity;
      for (let c = 0; c < classes; c++) if (c !== hidden && present.includes(c)) best = Math.max(best, heldOutSims[i * classes + c]);
      return best;
    };
    const reference = Float64Array.from([...y.keys()].filter((i) => y[i] !== hidden), bestOther).sort();
    for (let i = 0; i < y.length; i++) if (y[i] === hidden) out.push(empiricalPValue(reference, bestOther(i)));
  }
  return Float64Array.from(out);
}

/**
 * Posterior of "a class without labels" from a two-part mixture of the unlabelled p-values:
 * known-class images (uniform) and new-class images, whose p-value density is the one measured
 * on simulated new classes (simulatedNewClassPValues), made non-increasing and smoothed. The
 * share of each is fitted by maximum likelihood (EM). Unlike a tail estimate, this counts the
 * new-class images that look typical, which a weak encoder leaves in large numbers.
 */
export function mixturePosterior(pValues: Float64Array, simulated: Float64Array, bins = 10): { pNew: Float64Array; newShare: number } {
  const n = pValues.length;
  if (n === 0) return { pNew: new Float64Array(0), newShare: 0 };
  const counts = new Float64Array(bins).fill(1); // one pseudo-count per bin: no p-value is impossible for a new class
  for (const p of simulated) counts[Math.min(bins - 1, Math.floor(p * bins))]++;
  const total = counts.reduce((a, b) => a + b, 0);
  const density = nonIncreasing(Array.from(counts, (count) => (count / total) * bins));
  const newDensity = Float64Array.from(pValues, (p) => density[Math.min(bins - 1, Math.floor(p * bins))]);
  let newShare = 0.5;
  const pNew = new Float64Array(n);
  for (let iteration = 0; iteration < 500; iteration++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const fromNew = newShare * newDensity[i];
      pNew[i] = fromNew / (fromNew + (1 - newShare));
      sum += pNew[i];
    }
    const next = sum / n;
    const done = Math.abs(next - newShare) < 1e-7;
    newShare = next;
    if (done) break;
  }
  return { pNew, newShare };
}

/** The closest non-increasing sequence in least squares (pool adjacent violators). */
function nonIncreasing(values: number[]): number[] {
  const blocks: Array<{ sum: number; count: number }> = [];
  for (const v of values) {
    blocks.push({ sum: v, count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].sum / blocks[blocks.length - 2].count < blocks[blocks.length - 1].sum / blocks[blocks.length - 1].count) {
      const last = blocks.pop()!;
      blocks[blocks.length - 1].sum += last.sum;
      blocks[blocks.length - 1].count += last.count;
    }
  }
  return blocks.flatMap((block) => new Array<number>(block.count).fill(block.sum / block.count));
}

/** The temperature minimising the mean negative log-likelihood of the true classes (golden section on log T). */
export function fitTemperature(sims: Float64Array, y: Int32Array, classes: number): { temperature: number; nll: number } {
  const nllAt = (logT: number): number => {
    const t = Math.exp(logT);
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, sims[i * classes + c] / t);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(sims[i * classes + c] / t - max);
      total += max + Math.log(sum) - sims[i * classes + y[i]] / t;
    }
    return total / Math.max(1, y.length);
  };
  let lo = Math.log(1e-3);
  let hi = Math.log(10);
  const golden = (Math.sqrt(5) - 1) / 2;
  let a = hi - golden * (hi - lo);
  let b = lo + golden * (hi - lo);
  let fa = nllAt(a);
  let fb = nllAt(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - golden * (hi - lo);
      fa = nllAt(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + golden * (hi - lo);
      fb = nllAt(b);
    }
  }
  const logT = (lo + hi) / 2;
  return { temperature: Math.exp(logT), nll: nllAt(logT) };
}

/** Unit-length class means of the given rows (classes without rows get a zero prototype). */
function classPrototypes(features: VectorRows, rows: readonly number[], labels: Int32Array, classes: number): Float64Array {
  const { width } = features;
  const prototypes = new Float64Array(classes * width);
  for (const row of rows) {
    const c = labels[row];
    for (let k = 0; k < width; k++) prototypes[c * width + k] += features.data[row * width + k];
  }
  for (let c = 0; c < classes; c++) {
    let norm = 0;
    for (let k = 0; k < width; k++) norm += prototypes[c * width + k] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < width; k++) prototypes[c * width + k] *= inv;
  }
  return prototypes;
}

function similaritiesInto(features: VectorRows, row: number, prototypes: Float64Array, classes: number, out: Float64Array, at: number): void {
  const { width } = features;
  for (let c = 0; c < classes; c++) {
    let sum = 0;
    for (let k = 0; k < width; k++) sum += features.data[row * width + k] * prototypes[c * width + k];
    out[at + c] = sum;
  }
}

function softmaxScaled(sims: Float64Array, from: number, classes: number, temperature: number, out: Float64Array, at: number): void {
  const max = maxOf(sims, from, classes);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += out[at + c] = Math.exp((sims[from + c] - max) / temperature);
  for (let c = 0; c < classes; c++) out[at + c] /= sum;
}

export function maxOf(values: Float64Array, from: number, count: number): number {
  let max = -Infinity;
  for (let c = 0; c < count; c++) max = Math.max(max, values[from + c]);
  return max;
}

/**
 * The share of the sorted reference values at most x, linear between neighbouring values so that
 * images between two reference values are not tied (ties would blur any ranking by it); kept in
 * [1 / (n + 1), n / (n + 1)].
 */
export function empiricalPValue(sorted: Float64Array, x: number): number {
  const n = sorted.length;
  const below = countAtMost(sorted, x);
  const between = below > 0 && below < n && sorted[below] > sorted[below - 1] ? (x - sorted[below - 1]) / (sorted[below] - sorted[below - 1]) : 0;
  return Math.min(1, Math.max(1 / (n + 1), (below + between) / (n + 1)));
}

/** How many of the sorted values are at most x (binary search). */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countPerClass(y: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const c of y) counts[c]++;
  return counts;
}
