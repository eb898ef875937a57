// Cancellation for long operations (scans, hashing, embedding, selection). Callers (a progress
// notification's Cancel button, a superseded engine request) need to tell "stopped on purpose"
// apart from a real failure.

/** Thrown when an operation stops because its AbortSignal fired. Its name is 'AbortError', like fetch's. */
export class CancelledError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  constructor(reason?: unknown) {
    super('Cancelled.', reason === undefined ? undefined : { cause: reason });
  }
}

/** True for CancelledError and for any other error following the AbortError convention. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError(signal.reason);
}
