// FreeSel's per-image semantic patterns from a local feature map (METHODS.md section 1, steps 2-3):
// keep the most salient positions (saliency = L2 norm of the local feature) that together hold a
// fraction tau of the total saliency, cluster them with cosine k-means into K groups, and return
// the L2-normalised centroids. Computed once per image at embed time: a 7x7x1280 map is 250 KB,
// its K patterns are K x 5 KB.

/**
 * K. On MNIST (bench/results/selection.md, rows freesel and freesel-k3) K = 1 and K = 3 select equally well, and the
 * selection's cost grows with K squared (K patterns per pick against K per pool image), so one
 * pattern per image is the default; multi-object photos may justify more.
 */
export const DEFAULT_PATTERN_COUNT = 1;
export const FOREGROUND_MASS = 0.5;
const KMEANS_ITERATIONS = 20;

/** Store kind for patterns made with K clusters: K is in the name, so changing K never reuses patterns made with another. */
export function patternsKind(patternCount: number): string {
  return `patterns-k${patternCount}`;
}

export interface Patterns {
  /** [count, channels], row-major, unit rows. */
  data: Float32Array;
  count: number;
  channels: number;
}

/**
 * `features` holds `positions` local feature vectors of `channels` floats, position-major
 * (NHWC order; an NCHW map must be transposed first).
 */
export function semanticPatterns(features: Float32Array, positions: number, channels: number, patternCount: number, tau = FOREGROUND_MASS): Patterns {
  const kept = foregroundPositions(features, positions, channels, tau);
  const unit = kept.map((p) => unitVector(features.subarray(p * channels, (p + 1) * channels)));
  const centroids = unit.length <= patternCount ? unit : cosineKMeans(unit, patternCount);
  const data = new Float32Array(centroids.length * channels);
  centroids.forEach((c, i) => data.set(c, i * channels));
  return { data, count: centroids.length, channels };
}

/** Positions in decreasing saliency until they hold tau of the total; at least the most salient one. */
export function foregroundPositions(features: Float32Array, positions: number, channels: number, tau: number): number[] {
  const saliency = Array.from({ length: positions }, (_, p) => {
    let sum = 0;
    for (let k = 0; k < channels; k++) sum += features[p * channels + k] ** 2;
    return Math.sqrt(sum);
  });
  const order = saliency.map((_, p) => p).sort((a, b) => saliency[b] - saliency[a] || a - b);
  const total = saliency.reduce((a, b) => a + b, 0);
  const kept: number[] = [];
  let mass = 0;
  for (const p of order) {
    if (kept.length > 0 && mass >= tau * total) break;
    kept.push(p);
    mass += saliency[p];
  }
  return kept;
}

/**
 * Spherical k-means on unit vectors. Initialised farthest-first from the most salient vector (the
 * first one), so it needs no random numbers and gives the same patterns on every run. Clusters
 * that end up empty are dropped.
 */
export function cosineKMeans(vectors: Float32Array[], k: number): Float32Array[] {
  const channels = vectors[0].length;
  const centres: Float32Array[] = [Float32Array.from(vectors[0])];
  const nearest = vectors.map((v) => cosine(v, centres[0]));
  while (centres.length < k) {
    let far = 0;
    for (let i = 1; i < vectors.length; i++) if (nearest[i] < nearest[far]) far = i;
    centres.push(Float32Array.from(vectors[far]));
    vectors.forEach((v, i) => (nearest[i] = Math.max(nearest[i], cosine(v, centres[centres.length - 1]))));
  }
  let assignment = new Int32Array(vectors.length).fill(-1);
  for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
    const next = Int32Array.from(vectors, (v) => {
      let best = 0;
      for (let c = 1; c < centres.length; c++) if (cosine(v, centres[c]) > cosine(v, centres[best])) best = c;
      return best;
    });
    const changed = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    if (!changed) break;
    for (let c = 0; c < centres.length; c++) {
      const sum = new Float32Array(channels);
      vectors.forEach((v, i) => {
        if (assignment[i] === c) for (let j = 0; j < channels; j++) sum[j] += v[j];
      });
      centres[c] = unitVector(sum);
    }
  }
  return centres.filter((_, c) => assignment.includes(c));
}

function unitVector(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Float32Array.from(v, (x) => x * scale);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
