// Which images look wrong next to the rest of their dataset. Each kind reads one statistic
// (imageStats.ts); its threshold is relative to the dataset (median - k * MAD, robust to the very
// outliers it looks for), then bounded by absolute levels: never stricter than a floor, so a wide
// spread of photos still flags a nearly black one; never looser than a ceiling, so a tight
// dataset of fine images yields no findings. The floor shrinks with the dataset's median, so a
// folder of night photos flags only the darkest of them, not all.
//
// Score: how far past its threshold an image is, from 0 (at the threshold) to 1 (the worst value
// the statistic can take: black, white, flat, grey), so findings of a kind sort worst first.
// Sizes have no worst value: there the score is 1 - threshold / distance (1 = infinitely odd).
import type { ImageStats } from './imageStats';

export const FINDING_KINDS = ['dark', 'bright', 'blurry', 'low-information', 'grayscale', 'odd-aspect-ratio', 'odd-size'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface ImageFinding {
  path: string;
  kind: FindingKind;
  /** 0 to 1, higher is worse (see the file's header). */
  score: number;
}

export interface StatsOfImage {
  path: string;
  stats: ImageStats;
}

/** A kind's threshold as applied to this dataset, for the report. */
export interface KindThreshold {
  kind: FindingKind;
  /** The statistic it reads, and the value past which an image is flagged. */
  statistic: string;
  threshold: number;
  median: number;
}

/** How many robust standard deviations (1.4826 * MAD) from the median an outlier lies. */
export const DEFAULT_OUTLIER_SPREAD = 3;

/**
 * A "low" statistic (smaller is worse): flagged below min(ceiling, max(median - k * MAD, min(floor, median * floorShare))).
 * Bright is dark mirrored (1 - brightness); sharpness is read as log(1 + sharpness) so its spread is even.
 */
interface LowRule {
  kind: FindingKind;
  statistic: string;
  value: (stats: ImageStats) => number;
  /** The worst value (score 1). */
  worst: number;
  floor: number;
  floorShare: number;
  ceiling: number;
}

const LOW_RULES: readonly LowRule[] = [
  // Mean luminance under 0.08 is nearly black; above 0.15 nothing is "dark" whatever the dataset.
  { kind: 'dark', statistic: 'brightness', value: (s) => s.brightness, worst: 0, floor: 0.08, floorShare: 0.5, ceiling: 0.15 },
  { kind: 'bright', statistic: '1 - brightness', value: (s) => 1 - s.brightness, worst: 0, floor: 0.08, floorShare: 0.5, ceiling: 0.2 },
  // A flat image's luminance spans a few levels: 4 bits is at most 16 equally used grey levels.
  { kind: 'low-information', statistic: 'entropy (bits)', value: (s) => s.entropy, worst: 0, floor: 3, floorShare: 0.5, ceiling: 5 },
  // log(1 + var(Laplacian) / var(luminance)): a strong blur takes it well under 0.1.
  { kind: 'blurry', statistic: 'log(1 + sharpness)', value: (s) => Math.log1p(s.sharpness), worst: 0, floor: 0.02, floorShare: 0.25, ceiling: 0.15 },
  // JPEG colour noise leaves a grey photo stored as RGB a little saturation; colour photos have far more.
  { kind: 'grayscale', statistic: 'saturation', value: (s) => s.saturation, worst: 0, floor: 0.02, floorShare: 0.25, ceiling: 0.04 },
];

/** Size rules: distance from the dataset's median in log space, flagged past max(k * MAD, minimum). */
interface SpreadRule {
  kind: FindingKind;
  statistic: string;
  value: (stats: ImageStats) => number;
  /** The least distance that counts, whatever the dataset (log 2.5: a side 2.5 times shorter or longer than the typical one). */
  minimum: number;
}

const SPREAD_RULES: readonly SpreadRule[] = [
  { kind: 'odd-aspect-ratio', statistic: 'log(width / height)', value: (s) => Math.log(s.width / s.height), minimum: Math.log(1.6) },
  { kind: 'odd-size', statistic: 'log(sqrt(width * height))', value: (s) => 0.5 * Math.log(s.width * s.height), minimum: Math.log(2.5) },
];

/**
 * One cause, one finding. A flat image has no edges to be sharp and no colour to lack: it is
 * low-information only. Exposure squeezes the histogram, so a dark or bright image's low entropy is
 * not reported unless it is flat outright (under FLAT_ENTROPY bits). An image whose shorter side
 * is under UPSCALED_SIDE_SHARE of the dataset's typical one (a thumbnail, a thin strip) is blurred
 * by its upscaling to the model's input more than the rest: its sharpness says nothing about its
 * focus, so it is not reported as blurry (it is odd-size or odd-aspect-ratio when it is far off).
 */
const MASKED_BY_LOW_INFORMATION = new Set<FindingKind>(['blurry', 'grayscale']);
const FLAT_ENTROPY = 2;
const UPSCALED_SIDE_SHARE = 0.5;

export interface ImageFindingsResult {
  findings: ImageFinding[];
  thresholds: KindThreshold[];
}

/** Findings for every image, grouped by kind in FINDING_KINDS order, worst first within a kind. */
export function findImageProblems(images: readonly StatsOfImage[], spread = DEFAULT_OUTLIER_SPREAD): ImageFindingsResult {
  const findings: ImageFinding[] = [];
  const thresholds: KindThreshold[] = [];
  if (images.length === 0) return { findings, thresholds };
  const flagged = new Map<FindingKind, Set<string>>(FINDING_KINDS.map((kind) => [kind, new Set<string>()]));
  const typicalShorterSide = robustCentre(images.map((image) => Math.min(image.stats.width, image.stats.height))).median;
  const upscaledMore = (image: StatsOfImage): boolean => Math.min(image.stats.width, image.stats.height) < UPSCALED_SIDE_SHARE * typicalShorterSide;
  const masked = (kind: FindingKind, image: StatsOfImage): boolean =>
    (MASKED_BY_LOW_INFORMATION.has(kind) && flagged.get('low-information')!.has(image.path)) ||
    (kind === 'low-information' && image.stats.entropy >= FLAT_ENTROPY && (flagged.get('dark')!.has(image.path) || flagged.get('bright')!.has(image.path))) ||
    (kind === 'blurry' && upscaledMore(image));
  for (const rule of SPREAD_RULES) {
    const values = images.map((image) => rule.value(image.stats));
    const usable = values.filter(Number.isFinite);
    if (usable.length === 0) continue;
    const { median, mad } = robustCentre(usable);
    const threshold = Math.max(spread * 1.4826 * mad, rule.minimum);
    thresholds.push({ kind: rule.kind, statistic: `|${rule.statistic} - median|`, threshold: round(threshold), median: round(median) });
    images.forEach((image, i) => {
      const distance = Math.abs(values[i] - median);
      if (!Number.isFinite(distance) || distance <= threshold) return;
      findings.push({ path: image.path, kind: rule.kind, score: round(1 - threshold / distance) });
    });
  }
  for (const rule of LOW_RULES) {
    const values = images.map((image) => rule.value(image.stats));
    const { median, mad } = robustCentre(values);
    const relative = median - spread * 1.4826 * mad;
    const threshold = Math.min(rule.ceiling, Math.max(relative, Math.min(rule.floor, median * rule.floorShare)));
    thresholds.push({ kind: rule.kind, statistic: rule.statistic, threshold: round(threshold), median: round(median) });
    images.forEach((image, i) => {
      if (!(values[i] < threshold) || masked(rule.kind, image)) return;
      flagged.get(rule.kind)!.add(image.path);
      findings.push({ path: image.path, kind: rule.kind, score: round(clamp01((threshold - values[i]) / (threshold - rule.worst))) });
    });
  }
  const order = new Map(FINDING_KINDS.map((kind, i) => [kind, i]));
  findings.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { findings, thresholds };
}

/** Findings per kind, every kind listed (0 when none). */
export function countByKind(findings: readonly { kind: FindingKind }[]): Record<FindingKind, number> {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
  for (const finding of findings) counts[finding.kind]++;
  return counts;
}

/** Median and median absolute deviation. */
export function robustCentre(values: readonly number[]): { median: number; mad: number } {
  const median = medianOf(values);
  return { median, mad: medianOf(values.map((v) => Math.abs(v - median))) };
}

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
