// The label journal: one file per labelling run outside the editor (`curator label`), in
// `<cache>/label-journal/`, so the run can be undone later from another process. In the editor,
// folder moves are undone by VS Code's Undo instead.
//
// A folder run writes its journal BEFORE the first move, listing every planned move, and marks it
// finished afterwards. A run killed halfway therefore still has a journal, and undo looks at the
// disk to see which moves happened. A manifest run is one atomic file replacement, so its journal
// is written after it with the labels it replaced.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { jsonFileNames } from '../util/jsonFiles';
import type { AppliedLabelChange, LabelMode } from './types';

export const LABEL_JOURNAL_FOLDER = 'label-journal';
const VERSION = 1;

export type LabelJournalState = 'started' | 'finished' | 'undone';

export interface LabelJournal {
  version: number;
  mode: LabelMode;
  /** When the run started. */
  createdAt: string;
  state: LabelJournalState;
  /** Folder runs: every planned move (started) or every applied one (finished). Manifest runs: the rows written. */
  changes: AppliedLabelChange[];
}

export interface JournalFile {
  path: string;
  journal: LabelJournal;
}

/** Named by the time, so names sort in time order; the random tail keeps two runs in one millisecond apart. */
export function journalPathFor(cacheDir: string, createdAt: Date): string {
  return join(cacheDir, LABEL_JOURNAL_FOLDER, `${createdAt.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.json`);
}

export async function writeJournal(path: string, journal: LabelJournal): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(journal, null, 1) + '\n');
}

export function newJournal(mode: LabelMode, createdAt: Date, state: LabelJournalState, changes: AppliedLabelChange[]): LabelJournal {
  return { version: VERSION, mode, createdAt: createdAt.toISOString(), state, changes };
}

/**
 * The newest journal that has not been undone, or undefined. Unreadable or foreign files are
 * skipped: undo acts only on a journal it fully understands.
 */
export async function newestUndoableJournal(cacheDir: string): Promise<JournalFile | undefined> {
  const folder = join(cacheDir, LABEL_JOURNAL_FOLDER);
  // By name, which is the run's start time: a journal rewritten later (finished, undone) keeps its place.
  for (const name of (await jsonFileNames(folder)).sort().reverse()) {
    const path = join(folder, name);
    const journal = await readJournal(path);
    if (journal && journal.state !== 'undone') return { path, journal };
  }
  return undefined;
}

async function readJournal(path: string): Promise<LabelJournal | undefined> {
  try {
    const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<LabelJournal>;
    if (raw.version !== VERSION || (raw.mode !== 'folder' && raw.mode !== 'manifest') || !Array.isArray(raw.changes)) return undefined;
    if (raw.state !== 'started' && raw.state !== 'finished' && raw.state !== 'undone') return undefined;
    if (!raw.changes.every(isAppliedChange)) return undefined;
    return raw as LabelJournal;
  } catch {
    return undefined;
  }
}

function isAppliedChange(value: unknown): value is AppliedLabelChange {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Record<string, unknown>;
  const labelOk = (label: unknown): boolean => label === null || typeof label === 'string';
  return typeof change.oldRelPath === 'string' && typeof change.newRelPath === 'string' && labelOk(change.oldLabel) && labelOk(change.newLabel);
}
