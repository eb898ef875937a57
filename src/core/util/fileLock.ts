// An exclusive lock file shared by processes on one machine (two VS Code windows, the CLI, engine
// processes), and by machines sharing a folder. The embedding cache and the labels manifest both use
// it: the cache refuses at once when it is taken, the manifest waits a little for it.
//
// - The lock file names its holder (pid, host, time) and a random token: created in one step (the
//   content is written to a temp file that is hard-linked into place, which fails if the lock
//   exists), so a holder killed at any moment never leaves a lock whose holder cannot be known.
// - A lock whose holder is gone (same host, pid no longer running) is broken by the next comer, but
//   only if it still holds what was judged stale: another process may have broken it and taken a
//   fresh lock in between, and that one must stay.
// - A lock from another host cannot be checked; it is respected, or broken after `otherHostStaleAfterMs`.
// - Release removes the lock only while it still holds this acquisition's token.
import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './processAlive';

export interface LockHolder {
  pid: number;
  hostname: string;
  acquiredAt: string;
  /** Random per acquisition, so a process only ever removes the lock it created. */
  token: string;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

export interface FileLockOptions {
  /** How long to wait for a lock that another live process holds; 0 (the default) refuses at once. */
  waitMs?: number;
  /** A lock from another host is broken once its file is this old; by default it is always respected. */
  otherHostStaleAfterMs?: number;
  /** The error to throw when the lock stays taken (by default a FileLockedError naming the holder). */
  lockedError?: (lockPath: string, holder: LockHolder | undefined) => Error;
}

/** Thrown when the lock is held by a live process (or is being created) and waiting did not help. */
export class FileLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
    message = `${lockPath} is held by ${describeHolder(holder)}; try again in a moment.`,
  ) {
    super(message);
    this.name = 'FileLockedError';
  }
}

/** A lock file that cannot be read yet may be mid-creation (by the fallback without hard links); after this long it is debris. */
const UNREADABLE_GRACE_MS = 10_000;
const POLL_MS = 25;
/** Breaking a stale lock and competing again; more rounds than this means something keeps re-creating it. */
const MAX_BREAKS = 5;

/** Takes the lock at `lockPath`, waiting up to `options.waitMs` for a live holder to let go. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), acquiredAt: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const content = JSON.stringify(holder);
  await removeDeadCreatorsTempFiles(lockPath);
  let breaks = 0;
  for (;;) {
    if (await tryCreate(lockPath, content)) return heldLock(lockPath, holder.token);
    const current = await readLock(lockPath);
    if (current === 'gone') continue;
    if (await isStale(lockPath, current, options)) {
      if (++breaks > MAX_BREAKS) throw new Error(`Could not take the lock ${lockPath}: it keeps being re-created by other processes.`);
      await breakIfUnchanged(lockPath, current);
      continue;
    }
    if (Date.now() >= deadline) {
      const owner = current.holder;
      throw options.lockedError ? options.lockedError(lockPath, owner) : new FileLockedError(lockPath, owner);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `task` while holding the lock at `lockPath`, and releases it however the task ends. */
export async function withFileLock<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(lockPath, options);
  try {
    return await task();
  } finally {
    await lock.release();
  }
}

/** "this process", or "process 123 on host-a since <time>", or "another process" when unknown. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another process';
  if (holder.pid === process.pid && holder.hostname === hostname()) return 'this process';
  return `process ${holder.pid} on ${holder.hostname} since ${holder.acquiredAt}`;
}

/** The temp file a creator writes before linking it into place; also what a killed creator leaves. */
function tempPathFor(lockPath: string): string {
  return `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const tempPath = tempPathFor(lockPath);
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
    // File systems without hard links: an exclusive create, briefly empty (see UNREADABLE_GRACE_MS).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createExclusive(lockPath, content);
    throw error;
  } finally {
    await rm(tempPath, { force: true });
  }
}

async function createExclusive(lockPath: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

interface LockContent {
  /** The raw text, compared before breaking the lock. */
  text: string;
  /** Undefined when the text is not a holder record (empty, partial or foreign). */
  holder: LockHolder | undefined;
}

async function readLock(lockPath: string): Promise<LockContent | 'gone'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  return { text, holder: parseHolder(text) };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> & { host?: unknown };
    // Manifest locks of earlier versions named the host "host" and had no token.
    const host = typeof value.hostname === 'string' ? value.hostname : value.host;
    if (!Number.isInteger(value.pid) || typeof host !== 'string') return undefined;
    return { pid: value.pid!, hostname: host, acquiredAt: String(value.acquiredAt), token: typeof value.token === 'string' ? value.token : '' };
  } catch {
    return undefined;
  }
}

async function isStale(lockPath: string, current: LockContent, options: FileLockOptions): Promise<boolean> {
  const { holder } = current;
  if (holder && holder.hostname === hostname()) return !isProcessAlive(holder.pid);
  const limit = holder ? options.otherHostStaleAfterMs : UNREADABLE_GRACE_MS;
  if (limit === undefined) return false;
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > limit;
  } catch {
    return false; // removed meanwhile: the next round finds it gone
  }
}

async function breakIfUnchanged(lockPath: string, judged: LockContent): Promise<void> {
  const now = await readLock(lockPath);
  if (now === 'gone' || now.text !== judged.text) return;
  await rm(lockPath, { force: true });
}

function heldLock(lockPath: string, token: string): HeldLock {
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(lockPath);
      if (current !== 'gone' && current.holder?.token === token) await rm(lockPath, { force: true });
    },
  };
}

/** Temp files of creators killed between writing and linking: `<lock>.<pid>.<hex>.tmp` whose pid is gone. */
async function removeDeadCreatorsTempFiles(lockPath: string): Promise<void> {
  const folder = dirname(lockPath);
  const prefix = `${basename(lockPath)}.`;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return; // the folder does not exist: creating the lock will say so
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (match && Number(match[1]) !== process.pid && !isProcessAlive(Number(match[1]))) await rm(join(folder, name), { force: true });
  }
}
