// Per-file work over 100,000 files (sniffing, hashing) done in short synchronous runs.
//
// An asynchronous fs call is a trip through libuv's thread pool, and on a busy 2-core machine the
// trips, not the disk, cost most of the time: sniffing 100,000 cached files took 19 s in async calls
// and under 4 s in synchronous ones (bench/results/scan.md). So items are processed synchronously in
// runs of a few milliseconds, with a yield between runs so cancellation and other requests still get
// through. Synchronous reads cannot overlap, though: when the time spent waiting (wall time the
// process did not spend on the CPU) shows slow storage (a cold disk, a network share), the rest of
// the items go asynchronously, many at once.
import { throwIfAborted } from './abort';
import { forEachConcurrently } from './concurrency';

export interface SyncRunsStrategy {
  /** Items processed synchronously before judging the storage. */
  judgeAfterItems: number;
  /** Waiting per item above which the rest go asynchronously. */
  slowWaitMs: number;
}

export const DEFAULT_SYNC_RUNS: SyncRunsStrategy = { judgeAfterItems: 2000, slowWaitMs: 0.25 };

/** Longest synchronous run before yielding to the event loop. */
const RUN_MS = 10;
/**
 * Storage is also judged after this much time in synchronous runs, so slow storage is noticed
 * before 2,000 slow reads; long enough that being descheduled for a while on a busy machine does
 * not pass for slow storage.
 */
const JUDGE_AFTER_MS = 500;

export async function forEachInSyncRuns<T>(
  items: readonly T[],
  signal: AbortSignal | undefined,
  work: { sync: (item: T) => void; async: (item: T) => Promise<void>; concurrency: number },
  strategy: SyncRunsStrategy = DEFAULT_SYNC_RUNS,
): Promise<void> {
  let next = 0;
  let wallMs = 0;
  let cpuMs = 0;
  let judged = false;
  while (next < items.length) {
    throwIfAborted(signal);
    const runEnd = judged ? items.length : Math.min(items.length, strategy.judgeAfterItems);
    const cpuStart = process.cpuUsage();
    const runStart = performance.now();
    while (next < runEnd && performance.now() - runStart < RUN_MS) work.sync(items[next++]);
    wallMs += performance.now() - runStart;
    const cpu = process.cpuUsage(cpuStart);
    cpuMs += (cpu.user + cpu.system) / 1000;
    if (!judged && (next >= strategy.judgeAfterItems || wallMs >= JUDGE_AFTER_MS)) {
      judged = true;
      if (next > 0 && (wallMs - cpuMs) / next > strategy.slowWaitMs) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await forEachConcurrently(items.slice(next), work.concurrency, signal, work.async);
}
