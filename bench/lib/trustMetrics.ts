// What the trust benchmark measures on the unlabelled images of one run: what "Accept sure" at a
// probability threshold would write (precision, coverage, wrong labels, unknown-class images
// taken), how well the shown probability matches the share right (expected calibration error and
// the reliability bins), and how well `unknownScore` tells images of labelled classes from images
// of classes without labels (AUROC).

/** One unlabelled image as a suggestion run leaves it. */
export interface ScoredImage {
  /** The suggested class (index into the run's classes) and its probability as shown. */
  top: number;
  p: number;
  /** The true class (index into the same classes), or -1 when its class has no labels. */
  truth: number;
  /** Higher = more likely a class without labels (absent when the run gives none). */
  unknownScore?: number;
  /** The run marks the image as belonging to no labelled class: Accept sure leaves it alone. */
  unknownClass?: boolean;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanP: number;
  accuracy: number;
}

export interface TrustFigures {
  unlabelled: number;
  unknownImages: number;
  /** Accept sure at `threshold`: taken images, right ones, and the unknown-class images among them. */
  taken: number;
  right: number;
  wrong: number;
  unknownTaken: number;
  precision: number;
  coverage: number;
  unknownTakenShare: number;
  ece: number;
  bins: ReliabilityBin[];
  /** AUROC of unknownScore, known against unknown images; null without unknown images or scores. */
  unknownAuroc: number | null;
  /** Images marked unknownClass, and the share of them whose class really has no labels. */
  markedUnknown: number;
  markedUnknownPrecision: number | null;
  /** Recall of the mark among unknown-class images. */
  markedUnknownRecall: number | null;
}

export const BINS = 10;

export function trustFigures(images: readonly ScoredImage[], threshold: number): TrustFigures {
  const taken = images.filter((image) => image.p >= threshold && !image.unknownClass);
  const right = taken.filter((image) => image.top === image.truth).length;
  const unknown = images.filter((image) => image.truth < 0);
  const unknownTaken = taken.filter((image) => image.truth < 0).length;
  const marked = images.filter((image) => image.unknownClass);
  const scored = images.every((image) => image.unknownScore !== undefined);
  return {
    unlabelled: images.length,
    unknownImages: unknown.length,
    taken: taken.length,
    right,
    wrong: taken.length - right,
    unknownTaken,
    precision: taken.length > 0 ? right / taken.length : NaN,
    coverage: images.length > 0 ? taken.length / images.length : 0,
    unknownTakenShare: unknown.length > 0 ? unknownTaken / unknown.length : 0,
    ...calibration(images),
    unknownAuroc: scored && unknown.length > 0 && unknown.length < images.length ? auroc(images.map((image) => image.unknownScore!), images.map((image) => image.truth < 0)) : null,
    markedUnknown: marked.length,
    markedUnknownPrecision: marked.length > 0 ? marked.filter((image) => image.truth < 0).length / marked.length : null,
    markedUnknownRecall: unknown.length > 0 ? marked.filter((image) => image.truth < 0).length / unknown.length : null,
  };
}

/** Expected calibration error of the shown probability over BINS equal-width bins, and the bins. */
export function calibration(images: readonly ScoredImage[]): { ece: number; bins: ReliabilityBin[] } {
  const bins: ReliabilityBin[] = Array.from({ length: BINS }, (_, b) => ({ from: b / BINS, to: (b + 1) / BINS, count: 0, meanP: 0, accuracy: 0 }));
  for (const image of images) {
    const bin = bins[Math.min(BINS - 1, Math.floor(image.p * BINS))];
    bin.count++;
    bin.meanP += image.p;
    bin.accuracy += image.top === image.truth ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bin.meanP /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / images.length) * Math.abs(bin.meanP - bin.accuracy);
  }
  return { ece, bins };
}

/** Area under the ROC curve of `score` for telling `positive` from the rest (ties count half). */
export function auroc(score: readonly number[], positive: readonly boolean[]): number {
  const order = score.map((_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && score[order[j + 1]] === score[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[order[k]]) {
      rankSum += midRank;
      positives++;
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
