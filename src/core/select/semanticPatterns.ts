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
  // One pattern is the normalised mean direction of the kept positions: what k-means with one
  // cluster converges to after its first step, computed here without the k-means loop.
  const centroids = unit.length <= patternCount ? unit : patternCount === 1 ? [meanDirection(unit)] : cosineKMeans(unit, patternCount);
  const data = new Float32Array(centroids.length * channels);
  centroids.forEach((c, i) => data.set(c, i * channels));
  return { data, count: centroids.length, channels };
}

/** Positions in decreasing saliency until they hold tau of the total; at least the most salient one. */
export function foregroundPositions(features: Float32Array, positions: number, channels: number, tau: number): number[] {
  const saliency = new Float64Array(positions);
  for (let p = 0; p < positions; p++) {
    let sum = 0;
    for (let k = p * channels, end = k + channels; k < end; k++) sum += features[k] * features[k];
    saliency[p] = Math.sqrt(sum);
  }
  const order = Array.from(saliency.keys()).sort((a, b) => saliency[b] - saliency[a] || a - b);
  let total = 0;
  for (const value of saliency) total += value;
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
      let bestCosine = cosine(v, centres[0]);
      for (let c = 1; c < centres.length; c++) {
        const value = cosine(v, centres[c]);
        if (value > bestCosine) [best, bestCosine] = [c, value];
      }
      return best;
    });
    const changed = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    if (!changed) break;
    for (let c = 0; c < centres.length; c++) centres[c] = meanDirection(vectors.filter((_, i) => assignment[i] === c), vectors[0].length);
  }
  return centres.filter((_, c) => assignment.includes(c));
}

/** The unit vector along the sum of `vectors` (zero when they cancel out or there are none). */
function meanDirection(vectors: Float32Array[], channels = vectors[0].length): Float32Array {
  const sum = new Float32Array(channels);
  for (const v of vectors) for (let j = 0; j < v.length; j++) sum[j] += v[j];
  return unitVector(sum);
}

function unitVector(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * scale;
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
