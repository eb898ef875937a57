// Small state files (cache metadata, indexes, exports) must never be seen half written: a crash or a
// full disk while writing leaves either the old file or the new one, never a mixture.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type AtomicWriteData = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Replaces `path` with `data`: writes a temp file in the same folder (so the rename stays on one
 * file system), fsyncs it, renames it over the target and fsyncs the folder so the rename itself
 * survives a power cut. On failure the temp file is removed and the old content is left untouched.
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  const folder = dirname(path);
  const tempPath = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined = await open(tempPath, 'wx');
  try {
    await writeFile(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tempPath, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes a rename in `folder` durable. Windows cannot open folders for syncing; there it is skipped. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
