// Applies label changes from the review panel and commands to a dataset root.
//  - Folder datasets: the files move between class folders. Up to BULK_MOVES files move through ONE
//    WorkspaceEdit, so the workbench's Undo moves them back and the moves show in Source Control
//    like any rename (VS Code files an extension's moves under the moved files: Undo reaches them
//    while an editor shows one of them). A WorkspaceEdit costs about 25 ms per rename (1,000 files:
//    27 s, 5,000: 126 s, measured in code-server), so larger changes (Accept Sure Suggestions, a big
//    cluster) move the files directly, never overwriting, like `curator label` (20,000 in 8 s).
//  - Manifest datasets: labels.csv / labels.jsonl is rewritten by ManifestLabelWriter (atomic,
//    merged with changes made elsewhere, locked).
// Every change is recorded in the root's label journal (core/labels/labelJournal.ts), the same one
// `curator label` writes: undoLastChange() undoes the newest run in it, made in this window, another
// window or by `curator label`, which is what Ctrl+Z in the review panel does; `curator label --undo`
// undoes this window's changes the same way.
// Nothing is written in an untrusted workspace.
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { detectLabelStorage, ManifestLabelWriter, planFolderMoves, type FolderMove, type LabelApplyResult, type LabelChange } from '../../core/labels';
import { carryOutMoves, type CarriedOutMoves } from '../../core/labels/carryOutMoves';
import { applyManifestJournalled, carryOutMovesJournalled, type JournalTarget } from '../../core/labels/journalledWrites';
import type { LabelRunOrigin } from '../../core/labels/labelJournal';
import { hasUndoableLabelRun, undoNewestLabelRun } from '../../core/labels/undoLabelRun';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import type { CuratorState, LabelsChangedEvent } from '../curatorState';
import type { CuratorSettings } from '../settings';
import { requireTrust } from '../trust';
import { pathExists } from '../../core/util/pathExists';

/** What an undo did: `applied` holds the changes that put the old labels back. */
export interface LabelUndoResult extends LabelApplyResult {
  /** The run that was undone: who made it and when. */
  run: { origin: LabelRunOrigin; createdAt: string };
  /** Changes of that run that had not happened, or were put back already: nothing to do. */
  notApplied: number;
}

/** Above this many files, moves skip the WorkspaceEdit (see the top of this file). */
export const BULK_MOVES = 100;

export class LabelService {
  private readonly writers = new Map<string, ManifestLabelWriter>();
  /** The root this window last labelled: where undoLastChange() without a root undoes. */
  private lastRoot: string | undefined;

  constructor(
    private readonly state: CuratorState,
    private readonly settings: () => CuratorSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Fires after every change that wrote at least one label (views update their counts). */
  get onDidChangeLabels(): vscode.Event<LabelsChangedEvent> {
    return this.state.onDidChangeLabels;
  }

  async applyLabels(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    root = resolve(root);
    const storage = await detectLabelStorage(root);
    if (!requireTrust('Writing labels')) {
      return { mode: storage.mode, applied: [], unchanged: [], refused: changes.map((change) => ({ change, reason: 'Labels are not written in Restricted Mode; trust the workspace first.' })) };
    }
    const result = storage.mode === 'folder' ? await this.moveFiles(root, changes) : await this.writeManifest(root, changes);
    for (const refusal of result.refused) this.log.warn(`Label not applied: ${refusal.reason}`);
    if (result.applied.length > 0) {
      this.lastRoot = root;
      this.log.info(`Labelled ${result.applied.length} image(s) in ${root} (${result.mode} dataset).`);
      this.state.labelsWritten({ root, result });
    }
    return result;
  }

  /** Whether undoLastChange() has something to undo in `root` (by default the root this window last labelled). */
  async canUndoLastChange(root?: string): Promise<boolean> {
    const target = root === undefined ? this.lastRoot : resolve(root);
    return target !== undefined && hasUndoableLabelRun(this.cacheDirFor(target));
  }

  /**
   * Undoes the newest labelling run in the label journal of `root` (by default the root this window
   * last labelled), whoever made it: files move back to their old paths, or manifest rows get their
   * old labels (rows the change added stay, holding their previous label). Changes whose files or
   * rows changed since are refused with the reason. Undefined when there is nothing to undo; throws,
   * having changed nothing, when the run cannot be undone (still in progress, say).
   */
  async undoLastChange(root?: string): Promise<LabelUndoResult | undefined> {
    const target = root === undefined ? this.lastRoot : resolve(root);
    if (target === undefined) return undefined;
    if (!requireTrust('Undoing labels')) return undefined;
    const undone = await undoNewestLabelRun({ root: target, unlabeledFolderName: this.settings().unlabeledFolderName, cacheDir: this.cacheDirFor(target) }, 'editor');
    if (!undone) return undefined;
    // Its merge base is from before the undo: the next write starts from the manifest as it is now.
    this.writers.delete(target);
    const result: LabelUndoResult = {
      mode: undone.mode,
      applied: undone.restored,
      unchanged: [],
      refused: undone.refused,
      run: { origin: undone.run.origin, createdAt: undone.run.createdAt },
      notApplied: undone.notApplied.length,
    };
    for (const refusal of result.refused) this.log.warn(`Label change not undone: ${refusal.reason}`);
    this.log.info(`Undid the labelling run of ${undone.run.createdAt} in ${target} (${undone.journalPath}): ${result.applied.length} image(s) restored, ${result.notApplied} already as before, ${result.refused.length} refused.`);
    if (result.applied.length > 0) this.state.labelsWritten({ root: target, result });
    return result;
  }

  private async moveFiles(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const plan = await planFolderMoves(root, changes, this.settings().unlabeledFolderName);
    const result: LabelApplyResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused };
    const carry = plan.moves.length > BULK_MOVES ? (moves: readonly FolderMove[], into: CarriedOutMoves) => this.moveDirectly(moves, into) : moveThroughWorkspaceEdit;
    await carryOutMovesJournalled(this.journalTarget(root), plan.moves, result, carry);
    return result;
  }

  /** Many files: straight on disk, one by one, never overwriting (a name taken meanwhile is refused). */
  private async moveDirectly(moves: readonly FolderMove[], into: CarriedOutMoves): Promise<void> {
    const started = performance.now();
    await carryOutMoves(moves, into);
    this.log.info(`Moved ${into.applied.length} files directly (more than ${BULK_MOVES}) in ${((performance.now() - started) / 1000).toFixed(1)} s; Ctrl+Z in the review panel moves them back.`);
  }

  private async writeManifest(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const writer = await this.writerFor(root);
    const { journalPath: _journal, ...result } = await applyManifestJournalled(this.journalTarget(root), writer, changes);
    return result;
  }

  private cacheDirFor(root: string): string {
    return resolveCacheDir(root, this.settings().cacheLocation);
  }

  private journalTarget(root: string): JournalTarget {
    return { cacheDir: this.cacheDirFor(root), origin: 'editor' };
  }

  /** One writer per root, so that its merge base is what this window last read or wrote. */
  private async writerFor(root: string): Promise<ManifestLabelWriter> {
    const storage = await detectLabelStorage(root);
    const cached = this.writers.get(root);
    if (cached && storage.mode === 'manifest' && cached.manifestPath === resolve(storage.manifestPath)) return cached;
    const writer = await ManifestLabelWriter.open(root, { unlabeledFolderName: this.settings().unlabeledFolderName });
    this.writers.set(root, writer);
    return writer;
  }
}

/** Up to BULK_MOVES files: one WorkspaceEdit, which the workbench's Undo can revert as well. */
async function moveThroughWorkspaceEdit(moves: readonly FolderMove[], into: CarriedOutMoves): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = { label: describeMoves(moves), needsConfirmation: false };
  for (const move of moves) edit.renameFile(vscode.Uri.file(move.fromPath), vscode.Uri.file(move.toPath), { overwrite: false }, metadata);
  const ok = await vscode.workspace.applyEdit(edit);
  // Report what the file system shows, not what was asked: if VS Code stopped partway, the
  // files already moved are applied and the rest refused.
  for (const move of moves) {
    const { fromPath, toPath, ...applied } = move;
    if ((await pathExists(toPath)) && !(await pathExists(fromPath))) into.applied.push(applied);
    else into.refused.push({ change: { relPath: move.oldRelPath, label: move.newLabel }, reason: `${move.oldRelPath} could not be moved to ${move.newRelPath}${ok ? '' : ' (VS Code refused the move)'}.` });
  }
}

function describeMoves(moves: readonly FolderMove[]): string {
  const labels = [...new Set(moves.map((move) => move.newLabel ?? 'unlabelled'))];
  return `Curator: label ${moves.length} image${moves.length === 1 ? '' : 's'} as ${labels.join(', ')}`;
}
