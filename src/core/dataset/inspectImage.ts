// Looks at one file whose name says it is an image: its size, its modification time and its first
// few bytes. Decoding is left to the engine; this only catches what is cheap to catch.
import { open, type FileHandle } from 'node:fs/promises';
import { SNIFF_BYTES, sniffImageFormat } from './imageFormat';
import type { DatasetProblem, ImageFormat } from './types';

export interface InspectedImage {
  size: number;
  mtimeMs: number;
  format: ImageFormat;
}

export interface Inspection {
  /** Undefined when the file is left out of the dataset. */
  image?: InspectedImage;
  problem?: DatasetProblem;
}

const FORMAT_NAMES: Record<ImageFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
  tiff: 'TIFF',
};

export async function inspectImageFile(absPath: string, relPath: string, claimed: ImageFormat): Promise<Inspection> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(absPath, 'r');
    const stats = await handle.stat();
    if (stats.size === 0) {
      return { problem: { relPath, kind: 'empty-file', severity: 'error', message: 'The file is empty (0 bytes); it is left out.' } };
    }
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const format = sniffImageFormat(head.subarray(0, bytesRead));
    if (format === undefined) {
      return {
        problem: {
          relPath,
          kind: 'not-an-image',
          severity: 'error',
          message: `The file is named like a ${FORMAT_NAMES[claimed]} image but its content is not any supported image format; it is left out.`,
        },
      };
    }
    const image = { size: stats.size, mtimeMs: stats.mtimeMs, format };
    if (format !== claimed) {
      return {
        image,
        problem: {
          relPath,
          kind: 'format-mismatch',
          severity: 'warning',
          message: `The file is named like a ${FORMAT_NAMES[claimed]} image but contains ${FORMAT_NAMES[format]}; it is kept as ${FORMAT_NAMES[format]}.`,
        },
      };
    }
    return { image };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { problem: { relPath, kind: 'unreadable', severity: 'error', message: `The file could not be read (${code}); it is left out.` } };
  } finally {
    // The bytes are already read; a failing close changes nothing about the result.
    await handle?.close().catch(() => undefined);
  }
}
