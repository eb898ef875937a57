// Content hashes for every image of a scan. A file whose size and mtime match the file-state index
// keeps its recorded hash; only new or changed files are read again.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFileContent } from '../cache/contentHash';
import { FileStateIndex } from '../cache/fileStateIndex';
import type { ImageEntry } from '../dataset/types';
import type { ImageFailure } from '../embed/types';
import { forEachConcurrently } from '../util/concurrency';
import { messageOf } from '../util/errors';

export const FILE_STATE_NAME = 'files.json';

export interface HashOutcome {
  /** relPath -> sha256 hex, for every image that could be read. */
  byPath: Map<string, string>;
  failures: ImageFailure[];
}

export async function hashImages(
  images: ImageEntry[],
  cacheDir: string,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<HashOutcome> {
  await mkdir(cacheDir, { recursive: true });
  const index = await FileStateIndex.load(join(cacheDir, FILE_STATE_NAME));
  const byPath = new Map<string, string>();
  const failures: ImageFailure[] = [];
  const stale: ImageEntry[] = [];
  for (const image of images) {
    const known = index.lookup(image.relPath, image.size, image.mtimeMs);
    if (known) byPath.set(image.relPath, known);
    else stale.push(image);
  }
  let done = 0;
  await forEachConcurrently(stale, 8, options.signal, async (image) => {
    try {
      const hash = await hashFileContent(image.absPath);
      byPath.set(image.relPath, hash);
      index.update(image.relPath, { size: image.size, mtimeMs: image.mtimeMs, hash });
    } catch (error) {
      failures.push({ relPath: image.relPath, message: `could not be read: ${messageOf(error)}` });
    }
    options.onProgress?.(++done, stale.length);
  });
  index.retainOnly(new Set(images.map((image) => image.relPath)));
  await index.save();
  return { byPath, failures };
}
