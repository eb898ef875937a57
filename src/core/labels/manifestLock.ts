// An exclusive lock file beside a manifest, so that two processes (two VS Code windows, the CLI)
// never interleave their read-merge-write of the same labels file. The lock names its holder; a
// lock whose holder died (killed mid-write, crashed) is broken by the next writer.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './processAlive';

interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
}

export interface LockOptions {
  /** How long to wait for another process's lock before giving up. */
  timeoutMs?: number;
  /** A lock held this long is broken even when its holder cannot be checked (another host). */
  staleAfterMs?: number;
}

export class ManifestLockTimeoutError extends Error {}

const POLL_MS = 25;

export function lockPathFor(manifestPath: string): string {
  return join(dirname(manifestPath), `.${basename(manifestPath)}.lock`);
}

/** Runs `task` while holding the manifest's lock file. */
export async function withManifestLock<T>(manifestPath: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = lockPathFor(manifestPath);
  await acquire(lockPath, options);
  try {
    return await task();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
  for (;;) {
    if (await tryCreate(lockPath, JSON.stringify(owner))) return;
    const holder = await readHolder(lockPath);
    if (holder === 'gone') continue;
    if (await isStale(lockPath, holder, staleAfterMs)) {
      await breakLock(lockPath, holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host}` : 'another process';
      throw new ManifestLockTimeoutError(`${basename(lockPath).slice(1, -'.lock'.length)} is being written by ${who}; try again in a moment (lock file: ${lockPath}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Creates the lock with its content in one step: the owner is written to a temp file that is then
 * hard-linked into place (link fails if the lock exists). A writer killed at any point thus never
 * leaves an empty lock whose owner cannot be known. File systems without hard links fall back to
 * an exclusive create.
 */
async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const tempPath = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tempPath, 'wx');
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  try {
    await link(tempPath, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createExclusive(lockPath, content);
    throw error;
  } finally {
    await rm(tempPath, { force: true });
  }
}

async function createExclusive(lockPath: string, content: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner; null when its content is unreadable; 'gone' when it was released meanwhile. */
async function readHolder(lockPath: string): Promise<LockOwner | null | 'gone'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host, acquiredAt: String(value.acquiredAt) } : null;
  } catch {
    return null;
  }
}

async function isStale(lockPath: string, holder: LockOwner | null, staleAfterMs: number): Promise<boolean> {
  if (holder && holder.host === hostname()) return !isProcessAlive(holder.pid);
  // Another machine (a shared drive) or unreadable content: only age can tell.
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > staleAfterMs;
  } catch {
    return false;
  }
}

/**
 * Removes a stale lock, but only if it still holds the owner judged stale: another writer may have
 * broken it and taken a fresh lock in between, and that one must stay.
 */
async function breakLock(lockPath: string, stale: LockOwner | null): Promise<void> {
  const current = await readHolder(lockPath);
  if (current === 'gone') return;
  if (JSON.stringify(current) !== JSON.stringify(stale)) return;
  await rm(lockPath, { force: true });
}
