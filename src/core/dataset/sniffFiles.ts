// Inspects every file the walk named like an image (size, mtime, first bytes), fast at 100,000
// files: in short synchronous runs while storage answers quickly (see util/syncRuns.ts).
import { forEachInSyncRuns, type SyncRunsStrategy } from '../util/syncRuns';
import { inspectImageFile, inspectImageFileSync, type Inspection } from './inspectImage';
import type { ImageFormat } from './types';
import type { WalkedFile } from './walk';

export interface SniffCandidate {
  file: WalkedFile;
  claimed: ImageFormat;
}

/** Asynchronous inspections in flight at once, when storage is slow. */
const SNIFF_CONCURRENCY = 64;

export async function sniffFiles(
  candidates: readonly SniffCandidate[],
  signal: AbortSignal | undefined,
  onInspected: (candidate: SniffCandidate, inspection: Inspection) => void,
  strategy?: SyncRunsStrategy,
): Promise<void> {
  await forEachInSyncRuns(
    candidates,
    signal,
    {
      sync: (candidate) => onInspected(candidate, inspectImageFileSync(candidate.file.absPath, candidate.file.relPath, candidate.claimed)),
      async: async (candidate) => onInspected(candidate, await inspectImageFile(candidate.file.absPath, candidate.file.relPath, candidate.claimed)),
      concurrency: SNIFF_CONCURRENCY,
    },
    strategy,
  );
}
