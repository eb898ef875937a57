// Helpers the benchmarks share: command-line flags, the machine line every result file carries,
// rounding, and the "typical dataset images" they all measure on.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { skimagePhotos } from '../../test/fixtures/photos';

/** The value after `--name` on the command line, or the fallback. */
export function benchFlag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

export function machineDescription(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, Node ${process.version}`;
}

/** Writes `<name>.json` (the figures) and `<name>.md` (the table the README links to) into resultsDir. */
export async function writeBenchResults(resultsDir: string, name: string, figures: unknown, markdown: string): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, `${name}.json`), JSON.stringify(figures, null, 2) + '\n');
  await writeFile(join(resultsDir, `${name}.md`), markdown);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const TYPICAL_IMAGE_MIX = 'crops of 4 skimage photos, 256-512 px per side, half JPEG (quality 90) and half PNG';

/**
 * Typical dataset images: crops of real photos, a few hundred pixels per side, JPEG and PNG.
 * Crop sizes and offsets are deterministic, so every run measures the same bytes; a `variant`
 * other than 0 mirrors the crop, for "the same file, edited".
 */
export async function writeTypicalImages(dir: string, count: number, first = 0, variant = 0): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const photos = await skimagePhotos();
  const sizes = await Promise.all(photos.map((photo) => sharp(photo).metadata()));
  const files: string[] = [];
  for (let i = first; i < first + count; i++) {
    const { width = 512, height = 512 } = sizes[i % photos.length];
    const w = Math.min(width, 256 + ((i * 37) % 257));
    const h = Math.min(height, 256 + ((i * 53) % 257));
    const left = (i * 97) % Math.max(1, width - w);
    const top = (i * 61) % Math.max(1, height - h);
    const cropped = sharp(photos[i % photos.length]).extract({ left, top, width: w, height: h }).removeAlpha();
    const crop = variant === 0 ? cropped : cropped.flop();
    const file = join(dir, `img_${String(i).padStart(6, '0')}.${i % 2 === 0 ? 'jpg' : 'png'}`);
    await (i % 2 === 0 ? crop.jpeg({ quality: 90 }) : crop.png()).toFile(file);
    files.push(file);
  }
  return files;
}

/**
 * The figures measured before a change, kept beside the results as `<name>.before.json` (the same
 * benchmark's output on the code before the change), shown under the new figures for comparison.
 */
export async function beforeSection(resultsDir: string, name: string, fields: Array<[string, string]>): Promise<string> {
  let before: Record<string, unknown>;
  try {
    before = JSON.parse(await readFile(join(resultsDir, `${name}.before.json`), 'utf8')) as Record<string, unknown>;
  } catch {
    return '';
  }
  const rows = fields.map(([key, label]) => `| ${label} | ${String(before[key])} |`).join('\n');
  return `
Before the changes (same benchmark, measured ${String(before.date)}, ${String(before.note ?? '')}):

| figure | before |
|---|---|
${rows}
`;
}
