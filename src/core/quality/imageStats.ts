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

/** 1 / max(level, SATURATION_DARK_LEVEL) for every channel level: a multiplication per pixel instead of a division. */
const SATURATION_SCALE = Float64Array.from({ length: 256 }, (_, level) => 1 / Math.max(level, SATURATION_DARK_LEVEL));

/**
 * The pixel statistics of a decoded image (everything but the source size). This runs on the
 * thread that drives the model, once per image of the embedding pass, so it is one pass over the
 * pixels in integers: luminance in whole levels (Rec. 601 weights in 16-bit fixed point), and the
 * mean and variance from its histogram, which are exact (a flat image's variance is exactly 0).
 */
export function pixelStats(pixels: RawPixels): Omit<ImageStats, 'width' | 'height'> {
  const { bytes, width, height, channels } = pixels;
  const area = width * height;
  if (area === 0) throw new Error('an image of no pixels has no statistics');
  if (bytes.length < area * channels) throw new Error(`${bytes.length} bytes cannot hold ${width}x${height}x${channels} pixels`);
  const luma = new Uint8Array(area);
  const histogram = new Float64Array(256);
  let saturationSum = 0;
  if (channels < 3) {
    for (let i = 0, p = 0; i < area; i++, p += channels) {
      const y = bytes[p];
      luma[i] = y;
      histogram[y]++;
    }
  } else {
    for (let i = 0, p = 0; i < area; i++, p += channels) {
      const r = bytes[p];
      const g = bytes[p + 1];
      const b = bytes[p + 2];
      const y = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
      luma[i] = y;
      histogram[y]++;
      const max = r > g ? (r > b ? r : b) : g > b ? g : b;
      const min = r < g ? (r < b ? r : b) : g < b ? g : b;
      saturationSum += (max - min) * SATURATION_SCALE[max];
    }
  }
  let sum = 0;
  for (let level = 1; level < 256; level++) sum += level * histogram[level];
  const mean = sum / area;
  let squares = 0;
  for (let level = 0; level < 256; level++) if (histogram[level] > 0) squares += histogram[level] * (level - mean) * (level - mean);
  const variance = squares / area;
  return {
    brightness: mean / 255,
    contrast: Math.sqrt(variance) / 255,
    sharpness: variance > 0 ? laplacianVariance(luma, width, height) / variance : 0,
    entropy: histogramEntropy(histogram, area),
    saturation: saturationSum / area,
  };
}

/** Variance of the 4-neighbour Laplacian over the interior pixels (0 for images under 3x3); integer sums, so exact. */
export function laplacianVariance(luma: Uint8Array | Float32Array, width: number, height: number): number {
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

function histogramEntropy(histogram: Float64Array, total: number): number {
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
