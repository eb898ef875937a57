// Writes label changes into a dataset root outside the editor (`curator label`), and undoes the
// newest labelling run. The same rules as the review panel: folder datasets move files between class
// folders (never overwriting), manifest datasets rewrite labels.csv / labels.jsonl through the
// locking, merging ManifestLabelWriter. Every run that changes something leaves a journal (see
// labels/labelJournal.ts), shared with the editor: `curator label --undo` reverses the newest run,
// whether this command or the review panel made it.
import { normaliseManifestPath } from '../dataset/manifestPath';
import {
  detectLabelStorage,
  manifestLabelProblem,
  ManifestLabelWriter,
  planFolderMoves,
  type LabelApplyResult,
  type LabelChange,
} from '../labels';
import { labelJournalFolder } from '../labels/labelJournal';
import { carryOutMoves } from '../labels/carryOutMoves';
import { applyManifestJournalled, carryOutMovesJournalled } from '../labels/journalledWrites';
import { undoNewestLabelRun, type UndoLabelsResult } from '../labels/undoLabelRun';

export type { UndoLabelsResult };

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
}

export interface WriteLabelsResult extends LabelApplyResult {
  dryRun: boolean;
  /** The journal that undoes this run; absent when nothing changed (or on a dry run). */
  journalPath?: string;
}

export async function writeLabels(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions = {}): Promise<WriteLabelsResult> {
  const storage = await detectLabelStorage(params.root);
  return storage.mode === 'folder' ? await moveIntoClassFolders(params, changes, options) : await writeManifest(params, changes, options);
}

async function moveIntoClassFolders(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions): Promise<WriteLabelsResult> {
  const plan = await planFolderMoves(params.root, changes, params.unlabeledFolderName);
  const result: WriteLabelsResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused, dryRun: options.dryRun ?? false };
  if (options.dryRun) return { ...result, applied: plan.moves.map(({ fromPath: _from, toPath: _to, ...move }) => move) };
  // Journalled before the first move, so a run killed halfway can still be undone; also when
  // cancelled (which throws): the moves made so far stay, and undo reaches them.
  const journalPath = await carryOutMovesJournalled({ cacheDir: params.cacheDir, origin: 'cli' }, plan.moves, result, (moves, into) =>
    carryOutMoves(moves, into, { signal: options.signal, onProgress: options.onProgress }),
  );
  return journalPath ? { ...result, journalPath } : result;
}

async function writeManifest(params: WriteLabelsParams, changes: readonly LabelChange[], options: WriteLabelsOptions): Promise<WriteLabelsResult> {
  const writer = await ManifestLabelWriter.open(params.root, { unlabeledFolderName: params.unlabeledFolderName });
  if (options.dryRun) return { ...previewManifest(writer, changes), dryRun: true };
  return { ...(await applyManifestJournalled({ cacheDir: params.cacheDir, origin: 'cli' }, writer, changes)), dryRun: false };
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

/** Reverses the newest journalled run not undone yet, whoever made it (this command or the editor). */
export async function undoLastLabels(params: WriteLabelsParams): Promise<UndoLabelsResult> {
  const result = await undoNewestLabelRun(params, 'cli');
  if (!result) throw new Error(`Nothing to undo: no labelling run is recorded in ${labelJournalFolder(params.cacheDir)}.`);
  return result;
}
