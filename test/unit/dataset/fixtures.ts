// Temporary dataset folders with real image files for the dataset tests.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export type WritableFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'bmp';

/** A fresh folder under the OS temp folder, readable by every user (see withEffectiveUser). */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'curator-dataset-test-'));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const encoded = new Map<WritableFormat, Promise<Buffer>>();

/** A tiny real image in the given format (BMP is built by hand: sharp does not write it). */
export function imageBytes(format: WritableFormat): Promise<Buffer> {
  let bytes = encoded.get(format);
  if (!bytes) {
    bytes =
      format === 'bmp'
        ? Promise.resolve(bmpBytes())
        : sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 40, b: 90 } } })
            .toFormat(format)
            .toBuffer();
    encoded.set(format, bytes);
  }
  return bytes;
}

/** A 1x1 24-bit BMP: 14-byte file header, 40-byte BITMAPINFOHEADER, one padded pixel row. */
export function bmpBytes(): Buffer {
  const bytes = Buffer.alloc(58);
  bytes.write('BM', 0, 'latin1');
  bytes.writeUInt32LE(58, 2);
  bytes.writeUInt32LE(54, 10);
  bytes.writeUInt32LE(40, 14);
  bytes.writeInt32LE(1, 18);
  bytes.writeInt32LE(1, 22);
  bytes.writeUInt16LE(1, 26);
  bytes.writeUInt16LE(24, 28);
  bytes.writeUInt32LE(4, 34);
  bytes.set([90, 40, 200], 54);
  return bytes;
}

/** Writes a file (creating its folders); the content is an image format, or literal text or bytes. */
export async function put(root: string, relPath: string, content: WritableFormat | { text: string } | Buffer): Promise<string> {
  const path = join(root, ...relPath.split('/'));
  await mkdir(dirname(path), { recursive: true });
  const bytes = Buffer.isBuffer(content) ? content : typeof content === 'string' ? await imageBytes(content) : Buffer.from(content.text);
  await writeFile(path, bytes);
  return path;
}
