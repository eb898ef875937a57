// Writes label changes into a dataset root outside the editor (`curator label`), and undoes the
// last such run. The same rules as the review panel: folder datasets move files between class
// folders (never overwriting), manifest datasets rewrite labels.csv / labels.jsonl through the
// locking, merging ManifestLabelWriter. Every run that changes something leaves a journal (see
// labels/labelJournal.ts), which is what `curator label --undo` reverses.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import {
  detectLabelStorage,
  manifestLabelProblem,
  ManifestLabelWriter,
  planFolderMoves,
  type AppliedLabelChange,
  type LabelApplyResult,
  type LabelChange,
  type LabelMode,
  type RefusedLabelChange,
} from '../labels';
import { keepUnlabelled } from '../labels/keepUnlabelled';
import { journalPathFor, newJournal, newestUndoableJournal, writeJournal } from '../labels/labelJournal';
import { carryOutMoves } from '../labels/carryOutMoves';
import { moveWithoutOverwrite, sameFile, TargetExistsError } from '../labels/moveWithoutOverwrite';
import { pathExists } from '../util/pathExists';
import { resolveInsideRoot } from '../workspace/insideRoot';

export interface WriteLabelsParams {
  root: string;
  unlabeledFolderName: string;
  /** Where the journal goes (`<cacheDir>/label-journal/`). */
  cacheDir: string;
}

export interface WriteLabelsOptions {
  /** Plan only: say what would change, write nothing. */
  dryRun?: boolean;
  /** Stops between moves; the moves made so far stay, and are journalled so undo reaches them. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * Refuse changes to images that have a label now (accepting suggestions made for unlabelled
   * images: one labelled since by someone else keeps that label).
   */
  onlyUnlabelled?: boolean;
}

export interface WriteLabelsResult extends LabelApplyResult {
  dryRun: boolean;
  /** The journal that undoes this run; absent when nothing changed (or on a dry run). */
  journalPath?: string;
}

export async function writeLabels(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions = {}): Promise<WriteLabelsResult> {
  const storage = await detectLabelStorage(params.root);
  const unlabelled = options.onlyUnlabelled ? await keepUnlabelled(params.root, params.unlabeledFolderName, changes) : { kept: changes, refused: [] };
  const result = storage.mode === 'folder' ? await moveIntoClassFolders(params, unlabelled.kept, options) : await writeManifest(params, unlabelled.kept, options);
  return { ...result, refused: [...unlabelled.refused, ...result.refused] };
}

async function moveIntoClassFolders(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions): Promise<WriteLabelsResult> {
  const plan = await planFolderMoves(params.root, changes, params.unlabeledFolderName);
  const result: WriteLabelsResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused, dryRun: options.dryRun ?? false };
  const planned = plan.moves.map(({ fromPath: _from, toPath: _to, ...move }) => move);
  if (options.dryRun || plan.moves.length === 0) return { ...result, applied: options.dryRun ? planned : [] };

  // Journalled before the first move, so a run killed halfway can still be undone.
  const createdAt = new Date();
  const journalPath = journalPathFor(params.cacheDir, createdAt);
  await writeJournal(journalPath, newJournal('folder', createdAt, 'started', planned));
  try {
    await carryOutMoves(plan.moves, result, { signal: options.signal, onProgress: options.onProgress });
  } finally {
    // Also when cancelled: the moves made so far stay, and undo must reach them.
    if (result.applied.length > 0) {
      await writeJournal(journalPath, newJournal('folder', createdAt, 'finished', result.applied));
      result.journalPath = journalPath;
    } else {
      await rm(journalPath, { force: true });
    }
  }
  return result;
}

async function writeManifest(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions): Promise<WriteLabelsResult> {
  const writer = await ManifestLabelWriter.open(params.root, { unlabeledFolderName: params.unlabeledFolderName });
  if (options.dryRun) return { ...previewManifest(writer, changes), dryRun: true };
  const result: WriteLabelsResult = { ...(await writer.apply(changes)), dryRun: false };
  // One atomic replacement: the journal follows it with the labels it replaced.
  if (result.applied.length > 0) {
    const createdAt = new Date();
    result.journalPath = journalPathFor(params.cacheDir, createdAt);
    await writeJournal(result.journalPath, newJournal('manifest', createdAt, 'finished', result.applied));
  }
  return result;
}

/** What a manifest write would do, from the labels the writer read; the write itself may still merge with a newer file. */
function previewManifest(writer: ManifestLabelWriter, changes: readonly LabelChange[]): LabelApplyResult {
  const result: LabelApplyResult = { mode: 'manifest', applied: [], unchanged: [], refused: [] };
  for (const change of changes) {
    const path = normaliseManifestPath(change.relPath);
    const problem = !path.ok ? path.message : change.label !== null ? manifestLabelProblem(change.label) : undefined;
    if (!path.ok || problem) {
      result.refused.push({ change, reason: `${change.relPath} was not labelled: ${problem}.` });
      continue;
    }
    const oldLabel = writer.currentLabel(path.relPath);
    if (oldLabel === change.label) result.unchanged.push(change);
    else result.applied.push({ oldRelPath: path.relPath, newRelPath: path.relPath, oldLabel, newLabel: change.label });
  }
  return result;
}

export interface UndoLabelsResult {
  mode: LabelMode;
  journalPath: string;
  /** What was put back: each change from the run's new state to its old one. */
  restored: AppliedLabelChange[];
  /** Changes of that run that had not happened (a run stopped halfway): nothing to put back. */
  notApplied: AppliedLabelChange[];
  refused: RefusedLabelChange[];
}

/** Reverses the newest journalled run that is not undone yet. Changes made since to the same images are left alone, and said so. */
export async function undoLastLabels(params: WriteLabelsParams): Promise<UndoLabelsResult> {
  const found = await newestUndoableJournal(params.cacheDir);
  if (!found) throw new Error(`Nothing to undo: no labelling run of curator label is recorded in ${join(params.cacheDir, 'label-journal')}.`);
  const storage = await detectLabelStorage(params.root);
  if (storage.mode !== found.journal.mode) {
    throw new Error(`${found.path} records a ${found.journal.mode} dataset, but ${params.root} now stores labels ${storage.mode === 'folder' ? 'in folders' : 'in a manifest'}; nothing was undone.`);
  }
  const result: UndoLabelsResult = { mode: storage.mode, journalPath: found.path, restored: [], notApplied: [], refused: [] };
  // Later changes first, so a file moved twice in one run comes back along its path.
  const changes = [...found.journal.changes].reverse();
  if (storage.mode === 'folder') await moveBack(params.root, changes, result);
  else await writeBackManifest(params, changes, result);
  await writeJournal(found.path, { ...found.journal, state: 'undone' });
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

async function writeBackManifest(params: WriteLabelsParams, changes: readonly AppliedLabelChange[], result: UndoLabelsResult): Promise<void> {
  const writer = await ManifestLabelWriter.open(params.root, { unlabeledFolderName: params.unlabeledFolderName });
  const current = new Map(writer.labels());
  const writeBack: LabelChange[] = [];
  for (const change of changes) {
    const label = current.get(change.newRelPath);
    if (label === change.newLabel) writeBack.push({ relPath: change.newRelPath, label: change.oldLabel });
    else result.refused.push({ change: { relPath: change.newRelPath, label: change.oldLabel }, reason: `${change.newRelPath} was relabelled since (now ${label === undefined ? 'not listed' : JSON.stringify(label)}); it is left as it is.` });
  }
  if (writeBack.length === 0) return;
  const written = await writer.apply(writeBack);
  result.refused.push(...written.refused);
  result.restored.push(...written.applied);
}
