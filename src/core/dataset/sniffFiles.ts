// Inspects every file the walk named like an image (size, mtime, first bytes), fast at 100,000
// files. An asynchronous open/stat/read/close is four trips through libuv's thread pool, and on a
// busy 2-core machine those trips, not the disk, cost most of the time: 100,000 files took 19 s
// that way and under 2 s in synchronous calls (bench/results/scan.md). So files are inspected in
// synchronous runs of a few milliseconds, with a yield between runs so cancellation and other
// requests still get through. Synchronous reads cannot overlap, though: when files turn out slow
// to read (a cold disk, a network share), the rest are inspected asynchronously, many at once.
import { throwIfAborted } from '../util/abort';
import { forEachConcurrently } from '../util/concurrency';
import { inspectImageFile, inspectImageFileSync, type Inspection } from './inspectImage';
import type { ImageFormat } from './types';
import type { WalkedFile } from './walk';

export interface SniffCandidate {
  file: WalkedFile;
  claimed: ImageFormat;
}

/** Longest synchronous run before yielding to the event loop. */
const RUN_MS = 10;
/** Files that take longer than this on average are read asynchronously, so reads overlap. */
const SLOW_FILE_MS = 0.25;
/**
 * Storage is judged once, after this many files or this much time in synchronous runs: a sample
 * long enough that the process being descheduled for a while on a busy machine does not pass for
 * slow storage.
 */
const JUDGE_AFTER_FILES = 2000;
const JUDGE_AFTER_MS = 500;
/** Asynchronous inspections in flight at once. */
const SNIFF_CONCURRENCY = 64;

/** When to leave synchronous reads; the defaults above, overridable so tests can take both paths. */
export interface SniffStrategy {
  judgeAfterFiles: number;
  slowFileMs: number;
}

export async function sniffFiles(
  candidates: readonly SniffCandidate[],
  signal: AbortSignal | undefined,
  onInspected: (candidate: SniffCandidate, inspection: Inspection) => void,
  strategy: SniffStrategy = { judgeAfterFiles: JUDGE_AFTER_FILES, slowFileMs: SLOW_FILE_MS },
): Promise<void> {
  let next = 0;
  let syncMs = 0;
  let judged = false;
  while (next < candidates.length) {
    throwIfAborted(signal);
    const runStart = performance.now();
    const runEnd = judged ? candidates.length : Math.min(candidates.length, strategy.judgeAfterFiles);
    while (next < runEnd && performance.now() - runStart < RUN_MS) {
      const candidate = candidates[next++];
      onInspected(candidate, inspectImageFileSync(candidate.file.absPath, candidate.file.relPath, candidate.claimed));
    }
    syncMs += performance.now() - runStart;
    if (!judged && (next >= strategy.judgeAfterFiles || syncMs >= JUDGE_AFTER_MS)) {
      judged = true;
      if (syncMs / next > strategy.slowFileMs) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await forEachConcurrently(candidates.slice(next), SNIFF_CONCURRENCY, signal, async (candidate) => {
    onInspected(candidate, await inspectImageFile(candidate.file.absPath, candidate.file.relPath, candidate.claimed));
  });
}
