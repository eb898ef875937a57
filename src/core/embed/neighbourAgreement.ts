// The encoder check: how often a labelled image's nearest labelled neighbour (cosine, features
// centred on the dataset mean) has the same label, leaving the image itself out. It needs no
// held-out data and reads directly as "would nearest-neighbour reasoning work here": selection,
// suggestions and label-issue flags all lean on these neighbourhoods.
import { centredUnitRows, type VectorRows } from '../math/vectorRows';

/** Below these the figure says little: too few images or a single class. */
export const AGREEMENT_MIN_LABELLED = 20;
export const AGREEMENT_MIN_CLASSES = 2;
/**
 * At most this many labelled images take part (chosen evenly over the sorted list): the check
 * costs n^2 dot products, and 1,000 keeps it under a second at 1280-d while the figure's standard
 * error stays below 1.6 points.
 */
export const AGREEMENT_MAX_IMAGES = 1000;
/**
 * Under this share the user is told that a stronger model may help. On the CIFAR-10 dev set
 * (bench/results/encoders.md, 1-NN with 5,000 labelled photos) the ImageNet MobileNetV2 of the
 * catalogue scores 0.56, the bundled default 0.46 and the encoder bundled before it 0.28; fewer
 * labels per class lower every figure. So on photographs like these the bundled default is told,
 * rightly, that the catalogue's models separate classes better.
 */
export const LOW_AGREEMENT = 0.5;

export interface NeighbourAgreement {
  /** Share (0-1) of the checked labelled images whose nearest labelled neighbour has their label. */
  agreement: number;
  /** Labelled images that took part (at most AGREEMENT_MAX_IMAGES). */
  images: number;
  classes: number;
}

/**
 * `labelled`: the labelled images' embeddings with their class indices; `centre`: the mean the
 * features are centred on (the whole dataset's, labelled and unlabelled). Undefined when there
 * are too few labelled images or classes for the figure to mean anything.
 */
export function neighbourAgreement(labelled: VectorRows, labels: Int32Array, centre: Float64Array): NeighbourAgreement | undefined {
  const classes = new Set(labels).size;
  if (labelled.rows < AGREEMENT_MIN_LABELLED || classes < AGREEMENT_MIN_CLASSES) return undefined;
  const unit = centredUnitRows(labelled, centre);
  const { rows, width, data } = unit;
  let agreeing = 0;
  for (let i = 0; i < rows; i++) {
    let best = -Infinity;
    let bestLabel = -1;
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let k = 0, a = i * width, b = j * width; k < width; k++) dot += data[a + k] * data[b + k];
      if (dot > best) {
        best = dot;
        bestLabel = labels[j];
      }
    }
    if (bestLabel === labels[i]) agreeing++;
  }
  return { agreement: agreeing / rows, images: rows, classes };
}

/** Indices of at most `limit` items spread evenly over 0..count-1, in order. */
export function evenlySpread(count: number, limit: number): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * count) / limit));
}

/** The sentence shown beside the figure; it names the command that changes the model when the figure is low. */
export function agreementSentence(check: Pick<NeighbourAgreement, 'agreement' | 'images'>, modelName: string): string {
  const percent = `${Math.round(check.agreement * 100)}%`;
  const base = `Encoder check: ${percent} of ${check.images.toLocaleString('en')} labelled images have a nearest labelled neighbour of the same class under ${modelName}`;
  if (check.agreement < LOW_AGREEMENT) return `${base}; that is low, so a stronger model may help: Curator: Choose Embedding Model.`;
  return `${base}.`;
}
