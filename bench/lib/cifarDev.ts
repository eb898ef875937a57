// The natural-image dev set (../shared/data/cifar10-dev: pool/<class>/ and test/<class>/), read as
// file lists and, for encoder studies, decoded once per input size into raw RGB bytes.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { repo } from './mnistData';

export const CIFAR_DEV_DIR = resolve(repo, '..', 'shared', 'data', 'cifar10-dev');

export interface LabelledFiles {
  classes: string[];
  paths: string[];
  labels: Int32Array;
}

/** Every file of one split, classes in sorted order; `perClass` keeps the first n files (sorted) of each class. */
export function cifarSplit(split: 'pool' | 'test', perClass = Infinity, dir = CIFAR_DEV_DIR): LabelledFiles {
  const splitDir = join(dir, split);
  if (!existsSync(splitDir)) throw new Error(`${splitDir} does not exist: the natural-image dev set is expected at ../shared/data/cifar10-dev beside the repository`);
  const classes = readdirSync(splitDir).filter((name) => !name.startsWith('.')).sort();
  const paths: string[] = [];
  const labels: number[] = [];
  classes.forEach((name, label) => {
    const files = readdirSync(join(splitDir, name)).filter((file) => !file.startsWith('.')).sort().slice(0, perClass);
    for (const file of files) {
      paths.push(join(splitDir, name, file));
      labels.push(label);
    }
  });
  return { classes, paths, labels: Int32Array.from(labels) };
}

/**
 * RGB bytes of every file resized as the encoders' decoder does (cover, centre, cubic), n * size * size * 3,
 * cached under cacheDir so repeated studies skip the decoding.
 */
export async function decodedPixels(paths: string[], size: number, cacheDir: string, tag: string): Promise<Uint8Array> {
  const cacheFile = join(cacheDir, `${tag}-${paths.length}-${size}.rgb`);
  const expected = paths.length * size * size * 3;
  if (existsSync(cacheFile)) {
    const cached = await readFile(cacheFile);
    if (cached.byteLength === expected) return new Uint8Array(cached.buffer, cached.byteOffset, cached.byteLength);
  }
  const out = new Uint8Array(expected);
  const stride = size * size * 3;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      const data = await sharp(paths[index]).removeAlpha().toColourspace('srgb')
        .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'cubic' }).raw().toBuffer();
      out.set(data, index * stride);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await mkdir(cacheDir, { recursive: true });
  await writeFile(cacheFile, out);
  return out;
}
