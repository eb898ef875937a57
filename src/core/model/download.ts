// Fetches a model file to a place where it is only ever seen complete and verified: bytes stream
// into a temp file beside the destination while being hashed, and the temp file is renamed into
// place only when its SHA-256 matches. Any failure or cancellation removes the temp file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashFileContent } from '../util/contentHash';
import { syncFolder } from '../util/atomicWrite';
import { openHttpGet } from './httpGet';

export interface VerifiedDownloadOptions {
  /** Expected SHA-256 (hex) of the file. */
  sha256: string;
  /** Expected size in bytes, when known (a catalogue entry's): a server that announces another size is refused at once. */
  size?: number;
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
  const folder = dirname(options.destination);
  const tempPath = join(folder, `.${basename(options.destination)}.${randomBytes(6).toString('hex')}.partial`);
  const { response, url: finalUrl, totalBytes } = await openHttpGet(url, options.what, signal);
  let handle: FileHandle | undefined;
  let received = 0;
  try {
    if (options.size !== undefined && totalBytes !== undefined && totalBytes !== options.size) {
      throw new Error(`The server at ${finalUrl.href} announces ${totalBytes} bytes for the ${options.what}, but the file has ${options.size}; not downloading it`);
    }
    handle = await openForWriting(tempPath, options.what);
    const hash = createHash('sha256');
    options.onProgress?.(0, totalBytes ?? options.size);
    try {
      for await (const chunk of response) {
        signal?.throwIfAborted();
        const bytes = chunk as Buffer;
        received += bytes.length;
        if (options.size !== undefined && received > options.size) {
          throw new Error(`The server at ${finalUrl.href} sent more than the ${options.size} bytes of the ${options.what}; discarded`);
        }
        hash.update(bytes);
        await writeChunk(handle, bytes, folder, options.what);
        options.onProgress?.(received, totalBytes ?? options.size);
      }
    } catch (error) {
      // A connection that drops mid-body surfaces as a bare "aborted" socket error; say what happened.
      if (!signal?.aborted && !(error instanceof StoreWriteError) && totalBytes !== undefined && received < totalBytes) {
        throw new TruncatedDownloadError(finalUrl.href, received, totalBytes, options.what);
      }
      throw error;
    }
    signal?.throwIfAborted();
    const expectedTotal = totalBytes ?? options.size;
    if (expectedTotal !== undefined && received !== expectedTotal) {
      throw new TruncatedDownloadError(finalUrl.href, received, expectedTotal, options.what);
    }
    const actual = hash.digest('hex');
    if (actual !== options.sha256) throw new ChecksumMismatchError(url.href, options.sha256, actual, options.what);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tempPath, options.destination);
    await syncFolder(folder);
  } catch (error) {
    response.destroy();
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    // A cancelled request surfaces as a socket error ("aborted"); report it as the cancellation it is.
    throw signal?.aborted ? signal.reason : error;
  }
}

export class TruncatedDownloadError extends Error {
  constructor(url: string, received: number, total: number, what: string) {
    super(`Downloading the ${what} from ${url} stopped after ${received} of ${total} bytes; the partial file was discarded`);
    this.name = 'TruncatedDownloadError';
  }
}

/** The model store could not take the file (full disk, quota, file size limit, permissions). */
export class StoreWriteError extends Error {
  constructor(folder: string, what: string, cause: NodeJS.ErrnoException) {
    const hint = cause.code === 'ENOSPC' || cause.code === 'EDQUOT' ? ' (the disk is full)' : cause.code === 'EFBIG' ? ' (file size limit reached)' : '';
    super(`Could not store the ${what} in ${folder}${hint}: ${cause.message}; nothing was kept`);
    this.name = 'StoreWriteError';
  }
}

async function openForWriting(path: string, what: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (error) {
    throw new StoreWriteError(dirname(path), what, error as NodeJS.ErrnoException);
  }
}

async function writeChunk(handle: FileHandle, bytes: Buffer, folder: string, what: string): Promise<void> {
  try {
    await handle.write(bytes);
  } catch (error) {
    throw new StoreWriteError(folder, what, error as NodeJS.ErrnoException);
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
