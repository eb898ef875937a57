// A command that scans the workspace (to find its dataset roots) and then runs a job on a root used
// to walk that root twice: at 100,000 files the second walk is another 2 s before the job starts.
// The first scan is now handed to the job, by the id its summary carries: once, within a minute,
// and only to a job that names it, so a job never works from a scan it did not ask for.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { DatasetScan } from './types';

/** Long enough for a command's scan and its job to meet; short enough that nothing stale waits around. */
const MAX_AGE_MS = 60_000;

interface KeptScan {
  id: string;
  scan: DatasetScan;
  unlabeledFolderName: string;
  keptAt: number;
}

export class ScanHandoff {
  /** The latest scan of each root (a 100k-image scan is tens of MB: one per root at most). */
  private readonly byRoot = new Map<string, KeptScan>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps `scan` for one job on its root; returns the id that job must name. */
  keep(scan: DatasetScan, unlabeledFolderName: string): string {
    this.dropExpired();
    const id = randomUUID();
    this.byRoot.set(resolve(scan.root), { id, scan, unlabeledFolderName, keptAt: this.now() });
    return id;
  }

  /**
   * The scan kept under `id` for this root and unlabelled-folder name, or undefined (scan again)
   * when there is none: no id, another root's or a replaced scan, already taken, or too old.
   */
  take(id: string | undefined, root: string, unlabeledFolderName: string): DatasetScan | undefined {
    this.dropExpired();
    if (id === undefined) return undefined;
    const key = resolve(root);
    const kept = this.byRoot.get(key);
    if (!kept || kept.id !== id || kept.unlabeledFolderName !== unlabeledFolderName) return undefined;
    this.byRoot.delete(key);
    return kept.scan;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [root, kept] of this.byRoot) if (now - kept.keptAt > MAX_AGE_MS) this.byRoot.delete(root);
  }
}
