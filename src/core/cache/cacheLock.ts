// Two processes appending to one vector log at once would interleave their records. Every writer
// therefore holds an exclusive lock file, created with O_EXCL so exactly one creator wins. A lock
// left behind by a crashed process (same host, pid no longer running) is recognised and taken over.
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface LockOwner {
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

export class CacheLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(describeLockedCache(lockPath, owner));
    this.name = 'CacheLockedError';
  }
}

/** A lock file still being written by its creator is given this long before it counts as abandoned. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

export async function acquireLock(lockPath: string): Promise<HeldLock> {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    acquiredAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreateLock(lockPath, owner)) return heldLock(lockPath, owner.token);
    const existing = await readLockOwner(lockPath);
    if (existing === 'gone') continue;
    if (existing === 'unreadable') {
      if (!(await isOlderThan(lockPath, UNREADABLE_LOCK_GRACE_MS))) throw new CacheLockedError(lockPath, undefined);
    } else if (!isStale(existing)) {
      throw new CacheLockedError(lockPath, existing);
    }
    // Abandoned: remove it and compete for the lock again.
    await rm(lockPath, { force: true });
  }
  throw new Error(`Could not acquire the cache lock ${lockPath}: it keeps being re-created by other processes`);
}

async function tryCreateLock(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
  } finally {
    await handle.close();
  }
  return true;
}

function heldLock(lockPath: string, token: string): HeldLock {
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      const current = await readLockOwner(lockPath);
      if (typeof current === 'object' && current.token === token) await rm(lockPath, { force: true });
    },
  };
}

async function readLockOwner(lockPath: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.hostname === 'string' && typeof owner.token === 'string') return owner;
  } catch {
    // Falls through: an empty or partial lock file.
  }
  return 'unreadable';
}

/** Only a lock from this host can be checked; a lock from another host (shared folder) is respected. */
function isStale(owner: LockOwner): boolean {
  return owner.hostname === hostname() && !isProcessRunning(owner.pid);
}

export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isOlderThan(path: string, ageMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ageMs;
  } catch {
    return true;
  }
}

function describeLockedCache(lockPath: string, owner: LockOwner | undefined): string {
  if (!owner) return `The embedding cache is locked (${lockPath} is being created by another process). Try again in a moment.`;
  const who = owner.pid === process.pid && owner.hostname === hostname() ? 'this process' : `process ${owner.pid} on ${owner.hostname}`;
  return (
    `The embedding cache is in use by ${who} since ${owner.acquiredAt}. ` +
    `Close the other Dataset Curator window or engine that uses it, or, if that process is not Dataset Curator, delete ${lockPath}.`
  );
}
