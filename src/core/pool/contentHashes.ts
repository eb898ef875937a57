// Content hashes for every image of a scan. A file whose size and mtime match the file-state index
// keeps its recorded hash; only new or changed files are read again.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFileContent, hashFileContentSync } from '../util/contentHash';
import { FileStateIndex } from '../cache/fileStateIndex';
import type { ImageEntry } from '../dataset/types';
import type { ImageFailure } from '../embed/types';
import { forEachConcurrently } from '../util/concurrency';
import { messageOf } from '../util/errors';
import { forEachInSyncRuns } from '../util/syncRuns';

export const FILE_STATE_NAME = 'files.json';

/** Files up to this size are hashed in synchronous runs (a few milliseconds each at most). */
const SYNC_HASH_MAX_BYTES = 4 * 1024 * 1024;
const HASH_CONCURRENCY = 8;

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
  const hashAsync = async (image: ImageEntry): Promise<void> =>
    record(image, await hashFileContent(image.absPath).then((hash) => ({ hash }), (error: unknown) => ({ error })));
  // Synchronous runs while storage answers quickly: per-file thread-pool trips cost more than
  // reading a small image (see util/syncRuns.ts). Large files would block the thread too long in
  // one piece, so they are always read asynchronously.
  const small = stale.filter((image) => image.size <= SYNC_HASH_MAX_BYTES);
  await forEachInSyncRuns(small, options.signal, {
    sync: (image) => record(image, attemptSync(() => hashFileContentSync(image.absPath))),
    async: hashAsync,
    concurrency: HASH_CONCURRENCY,
  });
  await forEachConcurrently(stale.filter((image) => image.size > SYNC_HASH_MAX_BYTES), HASH_CONCURRENCY, options.signal, hashAsync);
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
