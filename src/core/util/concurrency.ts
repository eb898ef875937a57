// Bounded concurrency for file-system calls. Node's fs calls run on a small thread pool; firing
// 100,000 opens at once only queues them in memory and exhausts file descriptors (EMFILE).
import { throwIfAborted } from './abort';

// Kept here for callers that import cancellation from the concurrency helpers.
export { CancelledError, isAbortError, throwIfAborted } from './abort';

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Returns a function that runs tasks with at most `concurrency` of them in flight, in the order
 * they were submitted. Tasks whose turn comes after the signal fired reject with
 * CancelledError instead of running.
 */
export function createLimiter(concurrency: number, signal?: AbortSignal): Limiter {
  let active = 0;
  // A queue with a moving head: Array#shift on 100,000 waiters would make draining quadratic.
  let waiting: (() => void)[] = [];
  let head = 0;

  const acquire = async (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };

  const release = (): void => {
    if (head < waiting.length) {
      // The slot passes straight to the next waiter, so `active` stays as it is.
      const next = waiting[head++];
      if (head > 1024 && head * 2 > waiting.length) {
        waiting = waiting.slice(head);
        head = 0;
      }
      next();
    } else {
      active--;
    }
  };

  return async <T>(task: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      throwIfAborted(signal);
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Calls task for every item with at most `concurrency` calls in flight, stopping with
 * CancelledError once the signal fires. Cheaper than a Limiter for a list known up front:
 * a few worker loops instead of one queued closure per item.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      throwIfAborted(signal);
      await task(items[next++]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
