// Cache entries are keyed by what a file contains, not where it lives, so renames and moves reuse
// their embeddings and any edit to the bytes invalidates them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 (lower-case hex) of a file's bytes, read as a stream so large files need little memory. */
export async function hashFileContent(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** True for a 64-digit hex string, the form every content hash takes in this library. */
export function isContentHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
