// Which files are images: first by extension (cheap, decides what gets opened at all), then by the
// magic number at the start of the content (catches empty files and misnamed ones).
import type { ImageFormat } from './types';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, ImageFormat> = new Map([
  ['.jpg', 'jpeg'],
  ['.jpeg', 'jpeg'],
  ['.png', 'png'],
  ['.webp', 'webp'],
  ['.gif', 'gif'],
  ['.bmp', 'bmp'],
  ['.tif', 'tiff'],
  ['.tiff', 'tiff'],
]);

/** Lower-case extensions (with the dot) of the supported formats. */
export const IMAGE_EXTENSIONS: readonly string[] = [...FORMAT_BY_EXTENSION.keys()];

/** How many leading bytes sniffImageFormat needs to tell every supported format apart. */
export const SNIFF_BYTES = 32;

/** The format a file name claims, or undefined when its extension is not a supported image type. */
export function formatFromFileName(fileName: string): ImageFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  return FORMAT_BY_EXTENSION.get(fileName.slice(dot).toLowerCase());
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];
const BMP = ascii('BM');
// "BM" alone is too weak (plenty of text starts with it), so the DIB header size that follows the
// 14-byte file header must also be one of the sizes the BMP variants define.
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** The format the content starts like, or undefined when it is none of the supported ones. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'gif';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'webp';
  if ([TIFF_LE, TIFF_BE, BIGTIFF_LE, BIGTIFF_BE].some((signature) => startsWith(bytes, signature))) return 'tiff';
  if (startsWith(bytes, BMP) && bytes.length >= 18) {
    const dibHeaderSize = bytes[14] | (bytes[15] << 8) | (bytes[16] << 16) | (bytes[17] << 24);
    if (BMP_DIB_HEADER_SIZES.has(dibHeaderSize)) return 'bmp';
  }
  return undefined;
}
