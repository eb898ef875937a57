// The label journal: one file per labelling run in `<cache>/label-journal/`, whoever made it (the
// review panel, Accept Sure Suggestions, `curator label`), so that any of them can undo the newest
// run later, from another process (see undoLabelRun.ts).
//
// Every run writes its journal BEFORE it changes anything, listing every planned change and the
// process that makes them, and rewrites it as finished afterwards with what actually changed. A run
// killed halfway therefore still has a journal, and undo looks at the disk (folder datasets) or the
// manifest's rows to see which changes happened. Each write is atomic (temp file, fsync, rename).
//
// Version 1 journals (written by `curator label` before the editor shared the journal) had no origin
// and no writer; they are read as runs of `curator label`.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { jsonFileNames } from '../util/jsonFiles';
import { isProcessAlive } from '../util/processAlive';
import type { AppliedLabelChange, LabelMode } from './types';

export const LABEL_JOURNAL_FOLDER = 'label-journal';
const VERSION = 2;

export type LabelJournalState = 'started' | 'finished' | 'undone';

/** Who made a run: the editor (review panel, Accept Sure Suggestions) or `curator label`. */
export type LabelRunOrigin = 'editor' | 'cli';

export interface LabelJournalWriter {
  pid: number;
  hostname: string;
}

export interface LabelJournal {
  version: number;
  mode: LabelMode;
  origin: LabelRunOrigin;
  /** The process making the run; a started run whose process still lives is in progress. */
  writer: LabelJournalWriter;
  /** When the run started. */
  createdAt: string;
  state: LabelJournalState;
  /** Started: every planned change. Finished: every applied one. */
  changes: AppliedLabelChange[];
  /** When it was undone, by whom. */
  undone?: { at: string; origin: LabelRunOrigin };
}

export interface JournalFile {
  path: string;
  journal: LabelJournal;
}

/** A journal file that undo cannot act on; the message says which and what to do. */
export class UnreadableJournalError extends Error {}

export function labelJournalFolder(cacheDir: string): string {
  return join(cacheDir, LABEL_JOURNAL_FOLDER);
}

/** The last time a journal of this process was named by (milliseconds). */
let lastNamedAt = 0;

/**
 * Named by the time, so names sort in time order; the random tail keeps two runs in one millisecond
 * apart. Two runs of one process in one millisecond get successive milliseconds, so they sort in
 * the order they started.
 */
export function journalPathFor(cacheDir: string, createdAt: Date): string {
  lastNamedAt = Math.max(createdAt.getTime(), lastNamedAt + 1);
  return join(labelJournalFolder(cacheDir), `${new Date(lastNamedAt).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.json`);
}

export async function writeJournal(path: string, journal: LabelJournal): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(journal, null, 1) + '\n');
}

export function newJournal(mode: LabelMode, origin: LabelRunOrigin, createdAt: Date, state: LabelJournalState, changes: AppliedLabelChange[]): LabelJournal {
  return { version: VERSION, mode, origin, writer: { pid: process.pid, hostname: hostname() }, createdAt: createdAt.toISOString(), state, changes };
}

/** Whether a started run is still being made by a live process on this machine (another machine's cannot be checked: taken as stopped). */
export function runInProgress(journal: LabelJournal): boolean {
  return journal.state === 'started' && journal.writer.hostname === hostname() && isProcessAlive(journal.writer.pid);
}

/**
 * The newest journal that has not been undone, or undefined. A newer file undo cannot read stops
 * the search with an UnreadableJournalError: undoing an older run instead would not be "the newest".
 */
export async function newestUndoableJournal(cacheDir: string): Promise<JournalFile | undefined> {
  const folder = labelJournalFolder(cacheDir);
  // By name, which is the run's start time: a journal rewritten later (finished, undone) keeps its place.
  for (const name of (await jsonFileNames(folder)).sort().reverse()) {
    const path = join(folder, name);
    const read = await readJournal(path);
    if (read === 'gone') continue;
    if (typeof read === 'string') throw new UnreadableJournalError(`${path} ${read}; nothing was undone. Move it out of ${folder} to undo the runs before it.`);
    if (read.state !== 'undone') return { path, journal: read };
  }
  return undefined;
}

/** The journal, or why it cannot be used, or 'gone' when it was removed meanwhile. */
export async function readJournal(path: string): Promise<LabelJournal | string | 'gone'> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'is not a label journal (not JSON)';
  }
  if (typeof raw !== 'object' || raw === null) return 'is not a label journal';
  if (typeof raw.version === 'number' && raw.version > VERSION) return `was written by a newer version of Dataset Curator (journal version ${raw.version}, this one reads up to ${VERSION})`;
  if (raw.version !== 1 && raw.version !== VERSION) return 'is not a label journal (no known version)';
  const valid =
    (raw.mode === 'folder' || raw.mode === 'manifest') &&
    (raw.state === 'started' || raw.state === 'finished' || raw.state === 'undone') &&
    typeof raw.createdAt === 'string' &&
    Array.isArray(raw.changes) &&
    raw.changes.every(isAppliedChange);
  if (!valid) return 'is not a label journal undo can act on (a field is missing or malformed)';
  if (raw.version === 1) {
    // Only `curator label` wrote version 1; its writer was not recorded, so a started one counts as stopped.
    const { mode, state, createdAt, changes } = raw as unknown as LabelJournal;
    return { version: VERSION, mode, origin: 'cli', writer: { pid: 0, hostname: '' }, createdAt, state, changes };
  }
  const origin = raw.origin;
  const writer = raw.writer as Partial<LabelJournalWriter> | undefined;
  if ((origin !== 'editor' && origin !== 'cli') || typeof writer?.pid !== 'number' || typeof writer.hostname !== 'string') {
    return 'is not a label journal undo can act on (its origin or writer is missing)';
  }
  return raw as unknown as LabelJournal;
}

function isAppliedChange(value: unknown): value is AppliedLabelChange {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Record<string, unknown>;
  const labelOk = (label: unknown): boolean => label === null || typeof label === 'string';
  return typeof change.oldRelPath === 'string' && typeof change.newRelPath === 'string' && labelOk(change.oldLabel) && labelOk(change.newLabel);
}
