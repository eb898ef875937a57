// Fetches a model file to a place where it is only ever seen complete and verified: bytes stream
// into a temp file beside the destination while being hashed, and the temp file is renamed into
// place only when its SHA-256 matches. Any failure or cancellation removes the temp file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashFileContent } from '../cache/contentHash';
import { syncFolder } from '../util/atomicWrite';
import { openHttpGet } from './httpGet';

export interface VerifiedDownloadOptions {
  /** Expected SHA-256 (hex) of the file. */
  sha256: string;
  /** Where the verified file ends up. */
  destination: string;
  /** Names the file in messages, e.g. "model mobilenet". */
  what: string;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

export class ChecksumMismatchError extends Error {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
    what: string,
  ) {
    super(`The ${what} downloaded from ${url} has SHA-256 ${actual}, but ${expected} was expected; it was discarded`);
    this.name = 'ChecksumMismatchError';
  }
}

/**
 * Makes sure `destination` holds the file with the expected hash: reuses a verified copy already
 * there, otherwise downloads it from `url`.
 */
export async function ensureVerifiedDownload(url: URL, options: VerifiedDownloadOptions): Promise<'reused' | 'downloaded'> {
  const expected = options.sha256.toLowerCase();
  if ((await hashIfPresent(options.destination)) === expected) return 'reused';
  await mkdir(dirname(options.destination), { recursive: true });
  await downloadVerified(url, { ...options, sha256: expected });
  return 'downloaded';
}

async function downloadVerified(url: URL, options: VerifiedDownloadOptions): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  const tempPath = join(dirname(options.destination), `.${basename(options.destination)}.${randomBytes(6).toString('hex')}.partial`);
  const { response, url: finalUrl, totalBytes } = await openHttpGet(url, options.what, signal);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tempPath, 'wx');
    const hash = createHash('sha256');
    let received = 0;
    options.onProgress?.(0, totalBytes);
    for await (const chunk of response) {
      signal?.throwIfAborted();
      const bytes = chunk as Buffer;
      hash.update(bytes);
      await handle.write(bytes);
      received += bytes.length;
      options.onProgress?.(received, totalBytes);
    }
    signal?.throwIfAborted();
    if (totalBytes !== undefined && received !== totalBytes) {
      throw new Error(`Downloading the ${options.what} from ${finalUrl.href} stopped after ${received} of ${totalBytes} bytes`);
    }
    const actual = hash.digest('hex');
    if (actual !== options.sha256) throw new ChecksumMismatchError(url.href, options.sha256, actual, options.what);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tempPath, options.destination);
    await syncFolder(dirname(options.destination));
  } catch (error) {
    response.destroy();
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    // A cancelled request surfaces as a socket error ("aborted"); report it as the cancellation it is.
    throw signal?.aborted ? signal.reason : error;
  }
}

async function hashIfPresent(path: string): Promise<string | undefined> {
  try {
    return await hashFileContent(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
