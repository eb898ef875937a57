// A synthetic COCO root the size of COCO 2017 train (the coco-scale benchmark), or smaller (a
// system test): `annotations/instances_train2017.json` with
// that file's counts (118,287 images, 860,001 annotations, 80 categories) and record shapes
// (polygons of a few dozen points, bbox, area, iscrowd, a few crowd RLEs, the image fields COCO
// writes), so the file is about as large (~450 MB); and `train2017/` with every image it names, as
// hard links to one tiny JPEG (the scan sniffs headers; the pixels do not matter here).

import { createWriteStream } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '../../src/core/math/seededRandom';

export const COCO_2017_TRAIN = { images: 118_287, annotations: 860_001, categories: 80 };

export interface CocoScaleCounts {
  images: number;
  annotations: number;
  categories: number;
}

/** COCO's 80 category ids run 1..90 with gaps. */
export function cocoCategoryIds(count: number): number[] {
  const gaps = new Set([12, 26, 29, 30, 45, 66, 68, 69, 71, 83]);
  const ids: number[] = [];
  for (let id = 1; ids.length < count; id++) if (!gaps.has(id) || count > 80) ids.push(id);
  return ids;
}

export const cocoScaleImageName = (imageId: number): string => `${String(imageId).padStart(12, '0')}.jpg`;

/** The image ids, sparse and unordered as COCO's are. */
export function cocoScaleImageIds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 9 + i * 5 + ((i * 7919) % 5));
}

const coordinate = (value: number): string => String(Math.round(value * 100) / 100);

/** Writes the instances file; returns its size in bytes. */
export async function writeCocoScaleInstances(path: string, counts: CocoScaleCounts, seed = 2017): Promise<number> {
  // Seeded, so every run writes the same bytes.
  const random = new SeededRandom(seed);
  const next = (): number => random.next();
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const categoryIds = cocoCategoryIds(counts.categories);
  const imageIds = cocoScaleImageIds(counts.images);
  const sizes = imageIds.map(() => ({ width: 640 - Math.floor(next() * 3) * 80, height: 480 - Math.floor(next() * 4) * 40 }));

  await write('{"info": {"description": "COCO 2017 Dataset (synthetic, same counts)", "url": "http://cocodataset.org", "version": "1.0", "year": 2017, "contributor": "COCO Consortium", "date_created": "2017/09/01"}, "licenses": [');
  await write(Array.from({ length: 8 }, (_, i) => `{"url": "http://creativecommons.org/licenses/by-nc-sa/2.0/", "id": ${i + 1}, "name": "Attribution-NonCommercial-ShareAlike License"}`).join(', '));
  await write('], "images": [');
  let chunk: string[] = [];
  const flush = async (): Promise<void> => {
    await write(chunk.join(','));
    chunk = [];
  };
  for (let i = 0; i < imageIds.length; i++) {
    const id = imageIds[i]!;
    const name = cocoScaleImageName(id);
    const day = 1 + Math.floor(next() * 28);
    chunk.push(
      `{"license": ${1 + Math.floor(next() * 8)},"file_name": "${name}","coco_url": "http://images.cocodataset.org/train2017/${name}","height": ${sizes[i]!.height},"width": ${sizes[i]!.width},"date_captured": "2013-11-${String(day).padStart(2, '0')} 1${Math.floor(next() * 10)}:18:45","flickr_url": "http://farm${1 + Math.floor(next() * 9)}.staticflickr.com/${Math.floor(next() * 9000)}/${Math.floor(next() * 1e10)}_${Math.floor(next() * 1e10).toString(16)}_z.jpg","id": ${id}}`,
    );
    if (chunk.length === 1000 || i === imageIds.length - 1) {
      if (i >= 1000) await write(',');
      await flush();
    }
  }
  await write('],"annotations": [');
  for (let a = 0; a < counts.annotations; a++) {
    // Every image gets at least one annotation while they last, then they fall at random (COCO's ~7 per image).
    const imageIndex = a < imageIds.length ? a : Math.floor(next() * imageIds.length);
    const { width, height } = sizes[imageIndex]!;
    const w = 4 + next() * (width / 2);
    const h = 4 + next() * (height / 2);
    const x = next() * (width - w);
    const y = next() * (height - h);
    const crowd = next() < 0.01;
    let segmentation: string;
    if (crowd) {
      const runs = Array.from({ length: 60 + Math.floor(next() * 200) }, () => Math.floor(next() * 400));
      segmentation = `{"counts": [${runs.join(',')}],"size": [${height},${width}]}`;
    } else {
      const points = 6 + Math.floor(next() * 40);
      const polygon: string[] = [];
      for (let p = 0; p < points; p++) {
        const angle = (p / points) * 2 * Math.PI;
        polygon.push(coordinate(x + w / 2 + (Math.cos(angle) * w * (0.35 + next() * 0.15))), coordinate(y + h / 2 + Math.sin(angle) * h * (0.35 + next() * 0.15)));
      }
      segmentation = `[[${polygon.join(',')}]]`;
    }
    const category = categoryIds[Math.floor(next() * next() * categoryIds.length)]!;
    chunk.push(
      `{"segmentation": ${segmentation},"area": ${Math.round(w * h * 0.7 * 10000) / 10000},"iscrowd": ${crowd ? 1 : 0},"image_id": ${imageIds[imageIndex]},"bbox": [${coordinate(x)},${coordinate(y)},${coordinate(w)},${coordinate(h)}],"category_id": ${category},"id": ${a + 1}}`,
    );
    if (chunk.length === 1000 || a === counts.annotations - 1) {
      if (a >= 1000) await write(',');
      await flush();
    }
  }
  await write('],"categories": [');
  const supercategories = ['person', 'vehicle', 'outdoor', 'animal', 'accessory', 'sports', 'kitchen', 'food', 'furniture', 'electronic', 'appliance', 'indoor'];
  await write(categoryIds.map((id, i) => `{"supercategory": "${supercategories[i % supercategories.length]}","id": ${id},"name": "class ${String(i).padStart(2, '0')}"}`).join(','));
  await write(']}');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return bytes;
}

/**
 * Writes the root (annotations and images) unless a marker says it already holds these counts.
 * presentImages: how many of the named images exist (the rest are reported missing by the scan).
 */
export async function ensureCocoScaleRoot(root: string, counts: CocoScaleCounts, presentImages = counts.images): Promise<void> {
  const marker = join(root, '.bench-counts');
  const want = JSON.stringify({ ...counts, presentImages });
  if ((await readFile(marker, 'utf8').catch(() => '')) === want) return;
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'annotations'), { recursive: true });
  await mkdir(join(root, 'train2017'), { recursive: true });
  await writeCocoScaleInstances(join(root, 'annotations', 'instances_train2017.json'), counts);
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 120, b: 60 } } }).jpeg().toBuffer();
  const ids = cocoScaleImageIds(counts.images).slice(0, presentImages);
  for (let i = 0; i < ids.length; i += 250) {
    // A file takes at most 65,000 links on ext4: a fresh original (outside the root) every 50,000.
    const original = `${root}.tiny-${Math.floor(i / 50_000)}.jpg`; // 50,000 is a multiple of the step, 250.
    if (i % 50_000 === 0) await writeFile(original, jpeg);
    await Promise.all(ids.slice(i, i + 250).map((id) => link(original, join(root, 'train2017', cocoScaleImageName(id)))));
  }
  await writeFile(marker, want);
}
