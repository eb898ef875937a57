// Cheap statistics of one image, computed from the pixels the embedding pass decodes anyway (the
// model-resolution RGB buffer), plus the source's own width and height from its header. They are
// stored beside the embedding under STATS_KIND, so the quality findings never decode a file.
// Every statistic is chosen to separate one kind of problem from the others:
// - brightness (mean luminance) for dark / bright;
// - sharpness: the variance of the Laplacian divided by the variance of the luminance, so that
//   darkening an image (which scales both) does not make it look blurred;
// - entropy of the luminance histogram (bits) for flat, low-information images;
// - saturation (mean per-pixel (max - min) / max channel), relative to each pixel's own level so a
//   dark colour photo does not look grey; exactly 0 for one-channel (grey) sources.

/** The store's record kind; the version changes whenever a statistic's definition does. */
export const STATS_KIND = 'image-stats-v1';

export interface ImageStats {
  /** The source image's pixel size (after EXIF orientation), from its header. */
  width: number;
  height: number;
  /** Mean luminance (Rec. 601 weights), 0 (black) to 1 (white). */
  brightness: number;
  /** Standard deviation of the luminance, 0 to 0.5. */
  contrast: number;
  /** var(Laplacian) / var(luminance); 0 for a perfectly flat image. */
  sharpness: number;
  /** Shannon entropy of the 256-level luminance histogram, 0 to 8 bits. */
  entropy: number;
  /** Mean per-pixel (max - min) / max of the channels, 0 (grey) to 1. */
  saturation: number;
}

/** The order of the fields in a stored record. */
export const STATS_FIELDS = ['width', 'height', 'brightness', 'contrast', 'sharpness', 'entropy', 'saturation'] as const;

/** Channel levels below this count as this for saturation, so near-black pixels' noise reads as grey. */
const SATURATION_DARK_LEVEL = 24;

export interface RawPixels {
  /** Interleaved 8-bit samples, row-major, `channels` per pixel (1-2: grey with or without alpha; 3-4: RGB(A)). */
  bytes: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** The pixel statistics of a decoded image (everything but the source size). */
export function pixelStats(pixels: RawPixels): Omit<ImageStats, 'width' | 'height'> {
  const { bytes, width, height, channels } = pixels;
  const area = width * height;
  if (area === 0) throw new Error('an image of no pixels has no statistics');
  if (bytes.length < area * channels) throw new Error(`${bytes.length} bytes cannot hold ${width}x${height}x${channels} pixels`);
  const grey = channels < 3;
  const luma = new Float32Array(area);
  const histogram = new Uint32Array(256);
  let sum = 0;
  let saturationSum = 0;
  for (let i = 0, p = 0; i < area; i++, p += channels) {
    let y: number;
    if (grey) {
      y = bytes[p];
    } else {
      const r = bytes[p];
      const g = bytes[p + 1];
      const b = bytes[p + 2];
      y = 0.299 * r + 0.587 * g + 0.114 * b;
      const max = r > g ? (r > b ? r : b) : g > b ? g : b;
      const min = r < g ? (r < b ? r : b) : g < b ? g : b;
      saturationSum += (max - min) / (max > SATURATION_DARK_LEVEL ? max : SATURATION_DARK_LEVEL);
    }
    luma[i] = y;
    sum += luma[i]; // as stored, so a flat image's mean equals each of its values exactly
    histogram[Math.round(y)]++;
  }
  // Two passes, so a flat image's variance is exactly 0 rather than a rounding error to divide by.
  const mean = sum / area;
  let sumSquares = 0;
  for (let i = 0; i < area; i++) sumSquares += (luma[i] - mean) * (luma[i] - mean);
  const variance = sumSquares / area;
  return {
    brightness: mean / 255,
    contrast: Math.sqrt(variance) / 255,
    sharpness: variance > 0 ? laplacianVariance(luma, width, height) / variance : 0,
    entropy: histogramEntropy(histogram, area),
    saturation: saturationSum / area,
  };
}

/** Variance of the 4-neighbour Laplacian over the interior pixels (0 for images under 3x3). */
export function laplacianVariance(luma: Float32Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSquares = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const l = luma[i - 1] + luma[i + 1] + luma[i - width] + luma[i + width] - 4 * luma[i];
      sum += l;
      sumSquares += l * l;
    }
  }
  const count = (width - 2) * (height - 2);
  const mean = sum / count;
  return Math.max(0, sumSquares / count - mean * mean);
}

function histogramEntropy(histogram: Uint32Array, total: number): number {
  let entropy = 0;
  for (const count of histogram) {
    if (count === 0) continue;
    const p = count / total;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** The stored record's data, in STATS_FIELDS order. */
export function statsToRecord(stats: ImageStats): Float32Array {
  return Float32Array.from(STATS_FIELDS, (field) => stats[field]);
}

/** A stored record back into statistics; undefined when it has another length (another layout). */
export function statsFromRecord(data: Float32Array): ImageStats | undefined {
  if (data.length !== STATS_FIELDS.length || !data.every(Number.isFinite)) return undefined;
  const stats = {} as ImageStats;
  STATS_FIELDS.forEach((field, i) => (stats[field] = data[i]));
  return stats;
}
