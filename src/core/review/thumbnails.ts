// Thumbnails for the review grid, made once per image content with sharp and kept in the cache as
// <thumbsDir>/<sha256>.webp (previews for the details pane under <thumbsDir>/<size>/). Keyed by
// content hash: a moved or renamed file keeps its thumbnail, an edited one gets a new one.

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../embed/imageDecoder';

export { THUMBS_FOLDER } from './cacheLayout';

export const GRID_THUMB_SIZE = 160;
export const PREVIEW_SIZE = 512;

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Where the thumbnail of content `hash` at `size` pixels lives (grid size directly in thumbsDir). */
export function thumbnailPath(thumbsDir: string, hash: string, size = GRID_THUMB_SIZE): string {
  if (!HASH_PATTERN.test(hash)) throw new Error(`Not a content hash: ${hash.slice(0, 80)}`);
  return size === GRID_THUMB_SIZE ? join(thumbsDir, `${hash}.webp`) : join(thumbsDir, String(size), `${hash}.webp`);
}

export class ThumbnailMaker {
  /** Requests for a thumbnail already being made wait for that one instead of decoding twice. */
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly thumbsDir: string) {}

  /** The thumbnail of `source` (whose content hash is `hash`), made now if it is not cached. */
  ensure(source: string, hash: string, size = GRID_THUMB_SIZE): Promise<string> {
    const target = thumbnailPath(this.thumbsDir, hash, size);
    let pending = this.inFlight.get(target);
    if (!pending) {
      pending = makeIfMissing(source, target, size).finally(() => this.inFlight.delete(target));
      this.inFlight.set(target, pending);
    }
    return pending;
  }
}

async function makeIfMissing(source: string, target: string, size: number): Promise<string> {
  if (await exists(target)) return target;
  const webp = await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' })
    .rotate() // EXIF orientation, as the user sees the photo
    .resize(size, size, { fit: 'inside', kernel: 'lanczos3' })
    .webp({ quality: 80 })
    .toBuffer();
  await mkdir(join(target, '..'), { recursive: true });
  // Temp file + rename: a reader never sees half a thumbnail. No fsync: a thumbnail lost in a power
  // cut is simply made again, and syncing hundreds of small files would slow scrolling.
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, webp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return target;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
