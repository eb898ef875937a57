// Cache entries are keyed by what a file contains, not where it lives, so renames and moves reuse
// their embeddings and any edit to the bytes invalidates them. Model downloads are checked with the
// same hash, which is why it lives here rather than in cache/.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';

/** SHA-256 (lower-case hex) of a file's bytes, read as a stream so large files need little memory. */
export async function hashFileContent(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Bytes read at a time by hashFileContentSync; the buffer is reused from file to file. */
const SYNC_CHUNK_BYTES = 1 << 20;
let syncChunk: Buffer | undefined;

/** hashFileContent in synchronous calls, for callers that hash many small files in a row (see util/syncRuns.ts). */
export function hashFileContentSync(path: string): string {
  const hash = createHash('sha256');
  syncChunk ??= Buffer.allocUnsafe(SYNC_CHUNK_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (let read; (read = readSync(fd, syncChunk, 0, SYNC_CHUNK_BYTES, null)) > 0; ) hash.update(syncChunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** True for a 64-digit hex string, the form every content hash takes in this library. */
export function isContentHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
