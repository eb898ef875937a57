// A large dataset on disk for the scan and incremental benchmarks: tiny real images (PNG and
// JPEG made by sharp) in class folders and an unlabelled folder, plus a few bad files the scan
// must keep reporting. Files are written once and reused while their count matches.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { forEachConcurrently } from '../../src/core/util/concurrency';

export const CLASS_COUNT = 10;
/** Bad files added on top of the images: empty ones and text named like images. */
export const BAD_FILES = { empty: 10, text: 10 };

export interface LargeDataset {
  root: string;
  /** Relative paths of the images, in creation order. */
  images: string[];
}

/** Relative path of image i: a tenth unlabelled, the rest spread over the class folders. */
export function largeDatasetPath(i: number): string {
  const folder = i % 10 === 0 ? 'unlabeled' : `class_${i % CLASS_COUNT}`;
  return `${folder}/img_${String(i).padStart(6, '0')}.${i % 2 === 0 ? 'png' : 'jpg'}`;
}

/** A tiny distinct image for index i (distinct colours, so contents differ and hashes differ). */
export async function tinyImage(i: number, edit = 0): Promise<Buffer> {
  const colour = { r: i % 256, g: (i >> 8) % 256, b: ((i >> 16) * 16 + edit * 64) % 256 };
  const image = sharp({ create: { width: 8, height: 8, channels: 3, background: colour } });
  return i % 2 === 0 ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}

export async function ensureLargeDataset(root: string, count: number): Promise<LargeDataset> {
  const images = Array.from({ length: count }, (_, i) => largeDatasetPath(i));
  const marker = join(root, '.bench-count');
  const existing = await readFile(marker, 'utf8').catch(() => '');
  if (existing.trim() === String(count)) return { root, images };

  await rm(root, { recursive: true, force: true });
  for (const folder of ['unlabeled', ...Array.from({ length: CLASS_COUNT }, (_, c) => `class_${c}`)]) await mkdir(join(root, folder), { recursive: true });
  await forEachConcurrently(images, 32, undefined, async (relPath) => {
    const i = Number(/img_(\d+)/.exec(relPath)![1]);
    await writeFile(join(root, relPath), await tinyImage(i));
  });
  for (let i = 0; i < BAD_FILES.empty; i++) await writeFile(join(root, 'unlabeled', `empty_${i}.jpg`), '');
  for (let i = 0; i < BAD_FILES.text; i++) await writeFile(join(root, 'unlabeled', `text_${i}.png`), 'not an image, only named like one\n');
  await writeFile(marker, String(count));
  return { root, images };
}
