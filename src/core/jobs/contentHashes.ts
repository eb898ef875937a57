// Content hashes for every image of a scan. A file whose size and mtime match the file-state index
// keeps its recorded hash; only new or changed files are read again.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFileContent, hashFileContentSync } from '../cache/contentHash';
import { FileStateIndex } from '../cache/fileStateIndex';
import type { ImageEntry } from '../dataset/types';
import type { ImageFailure } from '../embed/types';
import { messageOf } from '../util/errors';
import { forEachInSyncRuns } from '../util/syncRuns';

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
  const record = (image: ImageEntry, outcome: HashAttempt): void => {
    if ('hash' in outcome) {
      byPath.set(image.relPath, outcome.hash);
      index.update(image.relPath, { size: image.size, mtimeMs: image.mtimeMs, hash: outcome.hash });
    } else {
      failures.push({ relPath: image.relPath, message: `could not be read: ${messageOf(outcome.error)}` });
    }
    options.onProgress?.(++done, stale.length);
  };
  // Synchronous runs while storage answers quickly: per-file thread-pool trips cost more than
  // reading a small image (see util/syncRuns.ts).
  await forEachInSyncRuns(stale, options.signal, {
    sync: (image) => record(image, attemptSync(() => hashFileContentSync(image.absPath))),
    async: async (image) => record(image, await hashFileContent(image.absPath).then((hash) => ({ hash }), (error: unknown) => ({ error }))),
    concurrency: 8,
  });
  index.retainOnly(new Set(images.map((image) => image.relPath)));
  await index.save();
  return { byPath, failures };
}

type HashAttempt = { hash: string } | { error: unknown };

function attemptSync(hash: () => string): HashAttempt {
  try {
    return { hash: hash() };
  } catch (error) {
    return { error };
  }
}
