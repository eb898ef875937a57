// An image's width and height from its header, for the COCO entries of images that had none (COCO
// requires both). PNG, JPEG, GIF and BMP are read; other formats give undefined.
import { open } from 'node:fs/promises';

/** JPEG headers can carry large EXIF blocks before the frame header; this covers them. */
const HEAD_BYTES = 256 * 1024;

export interface ImageSize {
  width: number;
  height: number;
}

export async function readImageSize(path: string): Promise<ImageSize | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return imageSizeFromHead(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function imageSizeFromHead(head: Buffer): ImageSize | undefined {
  const valid = (width: number, height: number): ImageSize | undefined => (width > 0 && height > 0 ? { width, height } : undefined);
  if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47 && head.toString('latin1', 12, 16) === 'IHDR') {
    return valid(head.readUInt32BE(16), head.readUInt32BE(20));
  }
  if (head.length >= 10 && head.toString('latin1', 0, 3) === 'GIF') return valid(head.readUInt16LE(6), head.readUInt16LE(8));
  if (head.length >= 26 && head.toString('latin1', 0, 2) === 'BM') return valid(Math.abs(head.readInt32LE(18)), Math.abs(head.readInt32LE(22)));
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) return jpegSize(head);
  return undefined;
}

/** Walks the JPEG segments to the first start-of-frame marker (C0-CF except C4, C8, CC). */
function jpegSize(head: Buffer): ImageSize | undefined {
  let at = 2;
  while (at + 9 < head.length) {
    if (head[at] !== 0xff) return undefined;
    const marker = head[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = head.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = head.readUInt16BE(at + 5);
      const width = head.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}
