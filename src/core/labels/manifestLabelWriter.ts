// Writes label changes into a dataset's labels.csv / labels.jsonl without ever losing someone
// else's edit:
//  - the file is replaced atomically (temp file, fsync, rename), so a crash leaves the old or the
//    new version, never a mixture;
//  - the writer remembers what it read; if the file changed on disk since (another window, a
//    script, git), the changes are merged three ways: rows the other edit did not touch get our
//    label, rows it changed to something else are refused with a message, nothing is clobbered;
//  - writes to one manifest are queued within this process and locked across processes.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { writeFileAtomic } from '../util/atomicWrite';
import { describeHolder, withFileLock } from '../util/fileLock';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { CsvManifestDocument } from './csvManifestDocument';
import { JsonlManifestDocument } from './jsonlManifestDocument';
import { folderLabelOf } from './folderMovePlan';
import { detectLabelStorage } from './labelMode';
import { manifestLabelProblem } from './labelValidation';
import type { ManifestDocument } from './manifestDocument';
import { removeStaleTempFiles } from './staleTempFiles';
import type { AppliedLabelChange, LabelApplyResult, LabelChange, RefusedLabelChange } from './types';

export interface ManifestLabelWriterOptions {
  /** For files the manifest does not list, whose label comes from their folder. */
  unlabeledFolderName?: string;
  lock?: ManifestLockOptions;
}

export interface ManifestLockOptions {
  /** How long to wait for another process's write before giving up (default 10 s). */
  timeoutMs?: number;
  /** A lock taken on another host (a shared drive) is broken once this old (default 60 s). */
  staleAfterMs?: number;
}

/** Another process kept the manifest locked for longer than the writer waits. */
export class ManifestLockTimeoutError extends Error {}

/** What the writer last read or wrote: the base of the next three-way merge. */
interface ManifestSnapshot {
  sha256: string;
  size: number;
  mtimeMs: number;
  document: ManifestDocument;
}

/** Writes to one manifest from this process run one after another. */
const writeQueues = new Map<string, Promise<unknown>>();

export class ManifestLabelWriter {
  private constructor(
    readonly root: string,
    readonly manifestPath: string,
    private readonly options: ManifestLabelWriterOptions,
    private base: ManifestSnapshot,
  ) {}

  /**
   * Opens the manifest in force at `root` (labels.csv before labels.jsonl) and removes temp files
   * that killed writers left beside it. Throws when the root has no manifest.
   */
  static async open(root: string, options: ManifestLabelWriterOptions = {}): Promise<ManifestLabelWriter> {
    const storage = await detectLabelStorage(root);
    if (storage.mode !== 'manifest') throw new Error(`${root} has no labels.csv or labels.jsonl; its labels are its folders.`);
    const manifestPath = resolve(storage.manifestPath);
    const snapshot = await serialised(manifestPath, () =>
      withManifestLock(
        manifestPath,
        async () => {
          await removeStaleTempFiles(manifestPath);
          return readSnapshot(manifestPath);
        },
        options.lock,
      ),
    );
    if (!snapshot) throw new Error(`${manifestPath} disappeared while it was being opened.`);
    return new ManifestLabelWriter(resolve(root), manifestPath, options, snapshot);
  }

  get manifestName(): string {
    return basename(this.manifestPath);
  }

  /** The labels as last read or written by this writer (the path and its label, in file order). */
  labels(): Array<[relPath: string, label: string | null]> {
    return this.base.document.entries();
  }

  /** The label `relPath` has as last read or written: its row's, or its folder's when the manifest does not list it. */
  currentLabel(relPath: string): string | null {
    return labelIn(this.base.document, relPath, this.options.unlabeledFolderName ?? 'unlabeled');
  }

  /** The content hash, size and mtime of the manifest as last read or written. */
  get snapshot(): { sha256: string; size: number; mtimeMs: number } {
    const { sha256, size, mtimeMs } = this.base;
    return { sha256, size, mtimeMs };
  }

  /** Re-reads the manifest, forgetting what was read before (the next merge starts from now). */
  async reload(): Promise<void> {
    const snapshot = await readSnapshot(this.manifestPath);
    if (!snapshot) throw new Error(`${this.manifestName} no longer exists.`);
    this.base = snapshot;
  }

  async apply(changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const result: LabelApplyResult = { mode: 'manifest', applied: [], unchanged: [], refused: [] };
    const accepted = await this.validate(changes, result.refused);
    if (accepted.length === 0) return result;
    await serialised(this.manifestPath, () =>
      withManifestLock(
        this.manifestPath,
        async () => {
          await removeStaleTempFiles(this.manifestPath);
          await this.mergeAndWrite(accepted, result);
        },
        this.options.lock,
      ),
    );
    return result;
  }

  /** Refuses changes that can never be written; returns the rest with normalised paths. */
  private async validate(changes: readonly LabelChange[], refused: RefusedLabelChange[]): Promise<LabelChange[]> {
    const accepted: LabelChange[] = [];
    const seen = new Set<string>();
    for (const change of changes) {
      const path = normaliseManifestPath(change.relPath);
      if (!path.ok) {
        refused.push({ change, reason: `${change.relPath}: ${path.message}.` });
        continue;
      }
      const problem = change.label === null ? undefined : manifestLabelProblem(change.label);
      if (problem) {
        refused.push({ change, reason: `${path.relPath} was not labelled: ${problem}.` });
        continue;
      }
      const key = path.relPath.normalize('NFC');
      if (seen.has(key)) {
        refused.push({ change, reason: `${path.relPath} appears more than once in the same change; only the first is applied.` });
        continue;
      }
      seen.add(key);
      if (!(await resolveInsideRoot(this.root, path.relPath))) {
        refused.push({ change, reason: `${path.relPath} does not exist or leads outside the dataset root.` });
        continue;
      }
      accepted.push({ relPath: path.relPath, label: change.label });
    }
    return accepted;
  }

  private async mergeAndWrite(changes: LabelChange[], result: LabelApplyResult): Promise<void> {
    const disk = await readSnapshot(this.manifestPath);
    if (!disk) {
      for (const change of changes) result.refused.push({ change, reason: `${this.manifestName} no longer exists; the label of ${change.relPath} was not written.` });
      return;
    }
    if (disk.document.unusableReason) {
      for (const change of changes) result.refused.push({ change, reason: `${this.manifestName} cannot be written: ${disk.document.unusableReason}.` });
      this.base = disk;
      return;
    }
    const changedOnDisk = disk.sha256 !== this.base.sha256;
    const unlabeled = this.options.unlabeledFolderName ?? 'unlabeled';
    const applied: AppliedLabelChange[] = [];
    for (const change of changes) {
      const theirs = disk.document.labelOf(change.relPath);
      if (changedOnDisk && theirs !== change.label && theirs !== this.base.document.labelOf(change.relPath)) {
        result.refused.push({
          change,
          reason:
            `${this.manifestName} was changed on disk since it was read, and ${change.relPath} is now labelled ` +
            `${describe(theirs)} there; it was not overwritten with ${describe(change.label)}. Apply the label again to replace it.`,
        });
        continue;
      }
      const current = labelIn(disk.document, change.relPath, unlabeled);
      if (current === change.label) {
        result.unchanged.push(change);
        continue;
      }
      disk.document.setLabel(change.relPath, change.label);
      applied.push({ oldRelPath: change.relPath, newRelPath: change.relPath, oldLabel: current, newLabel: change.label });
    }
    if (applied.length === 0) {
      this.base = disk;
      return;
    }
    const text = disk.document.toText();
    await writeFileAtomic(this.manifestPath, text);
    const written = await stat(this.manifestPath);
    this.base = { sha256: sha256(text), size: written.size, mtimeMs: written.mtimeMs, document: parseManifest(this.manifestPath, text) };
    result.applied.push(...applied);
  }
}

function describe(label: string | null | undefined): string {
  if (label === undefined) return '(not listed)';
  return label === null ? '(unlabelled)' : `"${label}"`;
}

async function readSnapshot(manifestPath: string): Promise<ManifestSnapshot | undefined> {
  let text: string;
  let info;
  try {
    [text, info] = await Promise.all([readFile(manifestPath, 'utf8'), stat(manifestPath)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { sha256: sha256(text), size: info.size, mtimeMs: info.mtimeMs, document: parseManifest(manifestPath, text) };
}

function parseManifest(manifestPath: string, text: string): ManifestDocument {
  return manifestPath.endsWith('.jsonl') ? new JsonlManifestDocument(text) : new CsvManifestDocument(text);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Chains `task` after every earlier write to the same manifest from this process. */
function serialised<T>(manifestPath: string, task: () => Promise<T>): Promise<T> {
  const previous = writeQueues.get(manifestPath) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  writeQueues.set(manifestPath, settled);
  void settled.then(() => {
    if (writeQueues.get(manifestPath) === settled) writeQueues.delete(manifestPath);
  });
  return next;
}

/** A path the manifest does not list takes its label from its folder; that is its current label. */
function labelIn(document: ManifestDocument, relPath: string, unlabeledFolderName: string): string | null {
  const listed = document.labelOf(relPath);
  return listed === undefined ? folderLabelOf(relPath, unlabeledFolderName) : listed;
}

/** `.labels.csv.lock` beside `labels.csv`: hidden, so the scan never takes it for data. */
function manifestLockPath(manifestPath: string): string {
  return join(dirname(manifestPath), `.${basename(manifestPath)}.lock`);
}

/**
 * Runs `task` holding the manifest's lock, so two processes (two windows, the CLI) never interleave
 * their read-merge-write. Unlike the embedding cache, a writer waits: another window's write takes
 * milliseconds.
 */
function withManifestLock<T>(manifestPath: string, task: () => Promise<T>, options: ManifestLockOptions = {}): Promise<T> {
  return withFileLock(manifestLockPath(manifestPath), task, {
    waitMs: options.timeoutMs ?? 10_000,
    otherHostStaleAfterMs: options.staleAfterMs ?? 60_000,
    lockedError: (lockPath, holder) =>
      new ManifestLockTimeoutError(`${basename(manifestPath)} is being written by ${describeHolder(holder)}; try again in a moment (lock file: ${lockPath}).`),
  });
}
