// Per-file work over 100,000 files (sniffing, hashing) done in short synchronous runs.
//
// An asynchronous fs call is a trip through libuv's thread pool, and on a busy 2-core machine the
// trips, not the disk, cost most of the time: scanning 100,000 cached files took 7-19 s with async
// calls and 2-3.5 s with synchronous ones (bench/results/scan.md). So items are processed synchronously in
// runs of a few milliseconds, with a yield between runs so cancellation and other requests still get
// through. Synchronous reads cannot overlap, though: when reads block (a cold disk, a network
// share), the rest of the items go asynchronously, many at once. A read that blocks puts the thread
// to sleep, which the kernel counts as a voluntary context switch; reads from the page cache do
// not. Wall time would be the wrong signal: on a busy machine the process also waits for a core.
import { throwIfAborted } from './abort';
import { forEachConcurrently } from './concurrency';

export interface SyncRunsStrategy {
  /** Items processed synchronously before judging the storage. */
  judgeAfterItems: number;
  /** Voluntary context switches (blocking waits) per item above which the rest go asynchronously. */
  blockingWaitsPerItem: number;
}

/** A read from the page cache blocks about 0.01 times per file here (other threads' switches count too); one from disk at least once. */
export const DEFAULT_SYNC_RUNS: SyncRunsStrategy = { judgeAfterItems: 2000, blockingWaitsPerItem: 0.5 };

/** Longest synchronous run before yielding to the event loop. */
const RUN_MS = 10;
/** Storage is also judged after this much time in synchronous runs, so slow storage is noticed before 2,000 slow reads. */
const JUDGE_AFTER_MS = 500;

export async function forEachInSyncRuns<T>(
  items: readonly T[],
  signal: AbortSignal | undefined,
  work: { sync: (item: T) => void; async: (item: T) => Promise<void>; concurrency: number },
  strategy: SyncRunsStrategy = DEFAULT_SYNC_RUNS,
): Promise<void> {
  let next = 0;
  let syncMs = 0;
  let blockingWaits = 0;
  let judged = false;
  while (next < items.length) {
    throwIfAborted(signal);
    const runEnd = judged ? items.length : Math.min(items.length, strategy.judgeAfterItems);
    const switchesBefore = process.resourceUsage().voluntaryContextSwitches;
    const runStart = performance.now();
    while (next < runEnd && performance.now() - runStart < RUN_MS) work.sync(items[next++]);
    syncMs += performance.now() - runStart;
    blockingWaits += process.resourceUsage().voluntaryContextSwitches - switchesBefore;
    if (!judged && (next >= strategy.judgeAfterItems || syncMs >= JUDGE_AFTER_MS)) {
      judged = true;
      if (next > 0 && blockingWaits / next > strategy.blockingWaitsPerItem) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await forEachConcurrently(items.slice(next), work.concurrency, signal, work.async);
}
