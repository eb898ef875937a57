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

function toModelLayout(pixels: Buffer, channels: number, input: ModelDescriptor['input']): Float32Array {
  const [height, width] = input.size;
  const area = height * width;
  const out = new Float32Array(area * 3);
  const scale = [0, 1, 2].map((c) => 1 / (255 * input.std[c]));
  const offset = [0, 1, 2].map((c) => input.mean[c] / input.std[c]);
  const planar = input.layout === 'NCHW';
  for (let i = 0; i < area; i++) {
    for (let c = 0; c < 3; c++) {
      // Grey images arrive with one channel: repeat it.
      const value = pixels[i * channels + (channels >= 3 ? c : 0)];
      out[planar ? c * area + i : i * 3 + c] = value * scale[c] - offset[c];
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
