// Undoes the newest labelling run in a dataset's label journal, whoever made it: the review panel,
// Accept Sure Suggestions or `curator label`. Folder datasets: each file moves back to its exact old
// path (sub-folders included), never overwriting. Manifest datasets: each row gets its old label
// back. A change whose file or row changed since (moved, deleted, relabelled by someone else, its
// old name taken) is left as it is and reported with the reason; every other change is undone.
// A run still being made by a live process is not touched at all.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { withFileLock } from '../util/fileLock';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { pathExists } from '../util/pathExists';
import { labelJournalFolder, newestUndoableJournal, runInProgress, writeJournal, type JournalFile, type LabelJournalState, type LabelRunOrigin } from './labelJournal';
import { detectLabelStorage } from './labelMode';
import { ManifestLabelWriter } from './manifestLabelWriter';
import { moveWithoutOverwrite, sameFile, TargetExistsError } from './moveWithoutOverwrite';
import type { AppliedLabelChange, LabelChange, LabelMode, RefusedLabelChange } from './types';

export interface UndoLabelRunParams {
  root: string;
  unlabeledFolderName: string;
  cacheDir: string;
}

export interface UndoLabelsResult {
  mode: LabelMode;
  journalPath: string;
  /** The run that was undone: who made it, when, and whether it had finished. */
  run: { origin: LabelRunOrigin; createdAt: string; state: Exclude<LabelJournalState, 'undone'> };
  /** What was put back: each change from the run's new state to its old one. */
  restored: AppliedLabelChange[];
  /** Changes of that run that had not happened (a run stopped halfway) or were put back already: nothing to do. */
  notApplied: AppliedLabelChange[];
  refused: RefusedLabelChange[];
}

/** Undoes run after run one at a time: a second undo waits this long for the first. */
const UNDO_LOCK_WAIT_MS = 30_000;

/** Whether the journal has a run to undo (a newer journal undo cannot read counts: undo says why). */
export async function hasUndoableLabelRun(cacheDir: string): Promise<boolean> {
  return newestUndoableJournal(cacheDir).then(
    (found) => found !== undefined,
    () => true,
  );
}

/**
 * Reverses the newest journalled run that is not undone yet, and marks it undone. Undefined when
 * the journal holds none. Throws, having changed nothing, when that run is still in progress, was
 * made on a dataset that has changed how it stores labels, or its journal cannot be read.
 */
export async function undoNewestLabelRun(params: UndoLabelRunParams, origin: LabelRunOrigin): Promise<UndoLabelsResult | undefined> {
  if (!(await newestUndoableJournal(params.cacheDir))) return undefined;
  const folder = labelJournalFolder(params.cacheDir);
  return withFileLock(
    join(folder, '.undo.lock'),
    async () => {
      // Again under the lock: another undo may have taken it meanwhile.
      const found = await newestUndoableJournal(params.cacheDir);
      return found ? undoRun(params, found, origin) : undefined;
    },
    { waitMs: UNDO_LOCK_WAIT_MS, lockedError: () => new Error(`Another undo of labels in ${params.root} is still running; nothing was undone.`) },
  );
}

async function undoRun(params: UndoLabelRunParams, found: JournalFile, origin: LabelRunOrigin): Promise<UndoLabelsResult> {
  const { journal } = found;
  const who = journal.origin === 'cli' ? 'curator label' : 'the editor';
  if (runInProgress(journal)) {
    throw new Error(`The newest labelling run (${who}, process ${journal.writer.pid}, started ${journal.createdAt}) is still in progress; nothing was undone. Undo it once it has finished.`);
  }
  const storage = await detectLabelStorage(params.root);
  if (storage.mode !== journal.mode) {
    throw new Error(`${found.path} records a ${journal.mode} dataset, but ${params.root} now stores labels ${storage.mode === 'folder' ? 'in folders' : 'in a manifest'}; nothing was undone.`);
  }
  const result: UndoLabelsResult = {
    mode: storage.mode,
    journalPath: found.path,
    run: { origin: journal.origin, createdAt: journal.createdAt, state: journal.state === 'started' ? 'started' : 'finished' },
    restored: [],
    notApplied: [],
    refused: [],
  };
  // Later changes first, so a file moved twice in one run comes back along its path.
  const changes = [...journal.changes].reverse();
  if (storage.mode === 'folder') await moveBack(params.root, changes, result);
  else await writeBackManifest(params, changes, result);
  await writeJournal(found.path, { ...journal, state: 'undone', undone: { at: new Date().toISOString(), origin } });
  return result;
}

async function moveBack(root: string, changes: readonly AppliedLabelChange[], result: UndoLabelsResult): Promise<void> {
  for (const change of changes) {
    const refuse = (why: string): void => void result.refused.push({ change: { relPath: change.newRelPath, label: change.oldLabel }, reason: `${change.newRelPath} was not moved back: ${why}.` });
    const now = normaliseManifestPath(change.newRelPath);
    const before = normaliseManifestPath(change.oldRelPath);
    if (!now.ok || !before.ok) {
      refuse('the journal names a path outside the dataset root');
      continue;
    }
    const nowPath = join(root, now.relPath);
    const beforePath = join(root, before.relPath);
    const [nowExists, beforeExists] = await Promise.all([pathExists(nowPath), pathExists(beforePath)]);
    if (!nowExists && beforeExists) {
      result.notApplied.push(change);
      continue;
    }
    if (!nowExists) {
      refuse('it no longer exists');
      continue;
    }
    if (!(await resolveInsideRoot(root, now.relPath))) {
      refuse('it leads outside the dataset root');
      continue;
    }
    try {
      // Both names on one file: the run was killed between linking and unlinking.
      if (beforeExists && (await sameFile(nowPath, beforePath))) await rm(nowPath);
      else await moveWithoutOverwrite(nowPath, beforePath);
      result.restored.push({ oldRelPath: change.newRelPath, newRelPath: change.oldRelPath, oldLabel: change.newLabel, newLabel: change.oldLabel });
    } catch (error) {
      refuse(error instanceof TargetExistsError ? `another file now has its old name ${change.oldRelPath}` : (error as Error).message);
    }
  }
}

/**
 * Rows that still hold the run's label get their old one back; rows relabelled since are left.
 * Rows that hold their old label already need nothing: a started run (killed before its journal
 * was finished) lists the rows it planned, and those were never written; an undo killed after its
 * write put them back already.
 */
async function writeBackManifest(params: UndoLabelRunParams, changes: readonly AppliedLabelChange[], result: UndoLabelsResult): Promise<void> {
  const writer = await ManifestLabelWriter.open(params.root, { unlabeledFolderName: params.unlabeledFolderName });
  const current = new Map(writer.labels());
  const writeBack: LabelChange[] = [];
  for (const change of changes) {
    const label = current.get(change.newRelPath);
    if (label === change.newLabel) writeBack.push({ relPath: change.newRelPath, label: change.oldLabel });
    else if ((label === undefined ? writer.currentLabel(change.newRelPath) : label) === change.oldLabel) result.notApplied.push(change);
    else result.refused.push({ change: { relPath: change.newRelPath, label: change.oldLabel }, reason: `${change.newRelPath} was relabelled since (now ${label === undefined ? 'not listed' : JSON.stringify(label)}); it is left as it is.` });
  }
  if (writeBack.length === 0) return;
  const written = await writer.apply(writeBack);
  result.refused.push(...written.refused);
  result.restored.push(...written.applied);
}
