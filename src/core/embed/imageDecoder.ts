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

/** What decodeImage returns: the tensor unless skipped, the pixels when kept. */
export interface DecodedParts {
  data?: Float32Array;
  /** With `keepPixels`: the resized 8-bit pixels the tensor is made from, and the source's size. */
  pixels?: DecodedPixels;
}

export interface DecodedPixels {
  /** Interleaved samples at the model's resolution: 1-2 channels for grey sources, 3 for colour. */
  bytes: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** The file's own size in pixels, as displayed (EXIF orientation applied). */
  sourceWidth: number;
  sourceHeight: number;
}

export interface DecodeOptions {
  /** Also return the 8-bit pixels and the source size (for the image statistics). */
  keepPixels?: boolean;
  /** Skip the float tensor (an image that is already embedded and needs only its statistics). */
  skipTensor?: boolean;
}

export class ImageDecodeError extends Error {}

export async function decodeForModel(path: string, input: ModelDescriptor['input']): Promise<DecodedImage> {
  const { data } = await decodeImage(path, input);
  return { data: data! };
}

/** decodeForModel, optionally also keeping the 8-bit pixels and the source size, or only those. */
export async function decodeImage(path: string, input: ModelDescriptor['input'], options: DecodeOptions = {}): Promise<DecodedParts> {
  const [height, width] = input.size;
  let pixels: Buffer;
  let channels: number;
  let source: { width: number; height: number } | undefined;
  try {
    const inputOptions = { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' } as const;
    // The source size is not in the output's info (that is the resized size). metadata() reads only
    // the file's header (libvips opens images lazily; no pixels are decoded), which is cheaper and
    // surer than parsing each format's header here. It runs beside the decode, on a second
    // instance, not before it: this thread is blocked by the model's forward pass, so a decode that
    // waited here for the header would not start until the pass ended, and decoding would stop
    // overlapping inference.
    const header = options.keepPixels ? sharp(path, inputOptions).metadata() : undefined;
    const decoded = sharp(path, inputOptions)
      .rotate() // respect EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } }) // alpha composed over white, as image viewers show it
      .toColourspace('srgb')
      // Centre crop to the model's aspect ratio; for JPEG this also enables shrink-on-load.
      .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'cubic' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Promise.all listens to both, so the second of two failures is not left unhandled.
    const [metadata, { data, info }] = await Promise.all([header, decoded]);
    if (metadata) source = displayedSize(metadata);
    pixels = data;
    channels = info.channels;
  } catch (error) {
    throw new ImageDecodeError(describeDecodeError(error));
  }
  return {
    data: options.skipTensor ? undefined : toModelLayout(pixels, channels, input),
    pixels: source ? { bytes: pixels, width, height, channels, sourceWidth: source.width, sourceHeight: source.height } : undefined,
  };
}

/** Width and height as shown: EXIF orientations 5-8 turn the image a quarter. */
function displayedSize(metadata: sharp.Metadata): { width: number; height: number } {
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  return (metadata.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
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
