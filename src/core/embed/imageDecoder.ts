// Decodes one image file into the model's input tensor layout with sharp.
// sharp runs on libuv's thread pool, so several decodes overlap with a forward pass.

import sharp from 'sharp';
import type { ModelDescriptor } from '../model/descriptor';

/** Refuse images above this many pixels (decompression bombs); 16384 x 16384 is plenty for a dataset photo. */
export const MAX_INPUT_PIXELS = 268_402_689;

export interface DecodedImage {
  /** height * width * 3 floats in the model's layout (HWC for NHWC, CHW for NCHW). */
  data: Float32Array;
}

export class ImageDecodeError extends Error {}

export async function decodeForModel(path: string, input: ModelDescriptor['input']): Promise<DecodedImage> {
  const [height, width] = input.size;
  let pixels: Buffer;
  let channels: number;
  try {
    const { data, info } = await sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' })
      .rotate() // respect EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } }) // alpha composed over white, as image viewers show it
      .toColourspace('srgb')
      // Centre crop to the model's aspect ratio; for JPEG this also enables shrink-on-load.
      .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    pixels = data;
    channels = info.channels;
  } catch (error) {
    throw new ImageDecodeError(describeDecodeError(error));
  }
  return { data: toModelLayout(pixels, channels, input) };
}

/**
 * Bytes to normalised floats. This runs on the thread that also drives the model (whose forward
 * pass blocks it), so every image's conversion adds to the pipeline's wall time: the loops are
 * written per layout, without per-element branches or lookups.
 */
export function toModelLayout(pixels: Uint8Array, channels: number, input: ModelDescriptor['input']): Float32Array {
  const [height, width] = input.size;
  const area = height * width;
  const out = new Float32Array(area * 3);
  const [s0, s1, s2] = [0, 1, 2].map((c) => 1 / (255 * input.std[c]));
  const [o0, o1, o2] = [0, 1, 2].map((c) => input.mean[c] / input.std[c]);
  // Grey images arrive with one channel (two with alpha): repeat it.
  const [c1, c2] = channels >= 3 ? [1, 2] : [0, 0];
  if (input.layout === 'NCHW') {
    for (let i = 0, p = 0; i < area; i++, p += channels) {
      out[i] = pixels[p] * s0 - o0;
      out[area + i] = pixels[p + c1] * s1 - o1;
      out[2 * area + i] = pixels[p + c2] * s2 - o2;
    }
  } else {
    for (let i = 0, p = 0, q = 0; i < area; i++, p += channels, q += 3) {
      out[q] = pixels[p] * s0 - o0;
      out[q + 1] = pixels[p + c1] * s1 - o1;
      out[q + 2] = pixels[p + c2] * s2 - o2;
    }
  }
  return out;
}

function describeDecodeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) return `image is larger than the ${MAX_INPUT_PIXELS.toLocaleString('en')}-pixel limit`;
  if (/unsupported image format/i.test(text)) return 'not a supported image format';
  // sharp names the absolute path; the caller already says which file, relative to the root.
  if (/input file is missing/i.test(text)) return 'the file no longer exists (deleted or moved after the scan)';
  const firstLine = text.split('\n')[0];
  // libvips ends this one with a colon and puts the decoder's reason (if any) after it.
  const header = /^Input file has corrupt header:\s*(.*)$/i.exec(firstLine);
  if (header) return `the file is damaged or truncated: its header cannot be read${header[1] ? ` (${header[1]})` : ''}`;
  if (/premature end|truncated/i.test(firstLine)) return `the file is truncated: ${firstLine}`;
  return firstLine;
}
