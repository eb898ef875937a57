// The embedding cache's lock refuses at once: two processes appending to one vector log would
// interleave their records, and waiting for a whole embedding run makes no sense. This error says
// who holds it and what to do.
import { describeHolder, FileLockedError, type LockHolder } from '../util/fileLock';

export class CacheLockedError extends FileLockedError {
  constructor(lockPath: string, holder: LockHolder | undefined) {
    super(lockPath, holder, describeLockedCache(lockPath, holder));
    this.name = 'CacheLockedError';
  }
}

function describeLockedCache(lockPath: string, holder: LockHolder | undefined): string {
  if (!holder) return `The embedding cache is locked (${lockPath} is being created by another process). Try again in a moment.`;
  return (
    `The embedding cache is in use by ${describeHolder(holder)}. ` +
    `Close the other Dataset Curator window or engine that uses it, or, if that process is not Dataset Curator, delete ${lockPath}.`
  );
}
