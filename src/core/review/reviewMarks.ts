// Review decisions that are not labels ("skip / reject"), kept per dataset in <cacheDir>/review.json.
// Marks are keyed by content hash, so moving a file into a class folder keeps them. Written
// atomically: closing VS Code mid-session leaves the old or the new file, never a torn one.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';

export const REVIEW_STATE_FILE = 'review.json';

interface ReviewStateFile {
  version: 1;
  skipped: string[];
  /** Selection file name -> (path at selection time -> content hash), so ranks follow moved files. */
  selectionHashes?: { file: string; byPath: Record<string, string> };
}

export class ReviewMarks {
  private constructor(
    private readonly path: string,
    readonly skipped: Set<string>,
    private selectionHashes: ReviewStateFile['selectionHashes'],
  ) {}

  static async load(cacheDir: string): Promise<ReviewMarks> {
    const path = join(cacheDir, REVIEW_STATE_FILE);
    try {
      const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<ReviewStateFile>;
      const skipped = Array.isArray(raw.skipped) ? raw.skipped.filter(isHash) : [];
      const hashes = raw.selectionHashes && typeof raw.selectionHashes.file === 'string' && typeof raw.selectionHashes.byPath === 'object' ? raw.selectionHashes : undefined;
      return new ReviewMarks(path, new Set(skipped), hashes);
    } catch {
      return new ReviewMarks(path, new Set(), undefined);
    }
  }

  /** The path -> hash map remembered for this selection file, if any. */
  selectionHashesFor(file: string): Map<string, string> {
    const known = this.selectionHashes?.file === file ? this.selectionHashes.byPath : {};
    return new Map(Object.entries(known).filter(([, hash]) => isHash(hash)));
  }

  rememberSelectionHashes(file: string, byPath: Map<string, string>): void {
    this.selectionHashes = { file, byPath: Object.fromEntries(byPath) };
  }

  setSkipped(hashes: Iterable<string>, skipped: boolean): void {
    for (const hash of hashes) {
      if (skipped) this.skipped.add(hash);
      else this.skipped.delete(hash);
    }
  }

  async save(): Promise<void> {
    const state: ReviewStateFile = { version: 1, skipped: [...this.skipped].sort(), selectionHashes: this.selectionHashes };
    await writeFileAtomic(this.path, `${JSON.stringify(state)}\n`);
  }
}

function isHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
