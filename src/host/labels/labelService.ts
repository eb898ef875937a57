// Applies label changes from the review panel and commands to a dataset root.
//  - Folder datasets: the files move between class folders. Up to BULK_MOVES files move through ONE
//    WorkspaceEdit, so the workbench's Undo moves them back and the moves show in Source Control
//    like any rename (VS Code files an extension's moves under the moved files: Undo reaches them
//    while an editor shows one of them). A WorkspaceEdit costs about 25 ms per rename (1,000 files:
//    27 s, 5,000: 126 s, measured in code-server), so larger changes (Accept Sure Suggestions, a big
//    cluster) move the files directly, never overwriting, like `curator label` (20,000 in 8 s).
//  - Manifest datasets: labels.csv / labels.jsonl is rewritten by ManifestLabelWriter (atomic,
//    merged with changes made elsewhere, locked).
// Every change that applied something is remembered (one level, per window): undoLastChange()
// writes the previous labels back through the same paths, which is what Ctrl+Z in the review panel
// does, whichever command made the change.
// Nothing is written in an untrusted workspace.
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { detectLabelStorage, ManifestLabelWriter, planFolderMoves, type FolderMove, type LabelApplyResult, type LabelChange } from '../../core/labels';
import { carryOutMoves } from '../../core/labels/carryOutMoves';
import type { CuratorState, LabelsChangedEvent } from '../curatorState';
import type { CuratorSettings } from '../settings';
import { requireTrust } from '../trust';
import { pathExists } from '../../core/util/pathExists';

interface LastChange {
  root: string;
  /** The changes that put the previous labels back. */
  revert: LabelChange[];
}

/** Above this many files, moves skip the WorkspaceEdit (see the top of this file). */
export const BULK_MOVES = 100;

export class LabelService {
  private readonly writers = new Map<string, ManifestLabelWriter>();
  private lastChange: LastChange | undefined;

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
      this.lastChange = { root, revert: result.applied.map((change) => ({ relPath: change.newRelPath, label: change.oldLabel })) };
      this.log.info(`Labelled ${result.applied.length} image(s) in ${root} (${result.mode} dataset).`);
      this.state.labelsWritten({ root, result });
    }
    return result;
  }

  /** Whether undoLastChange() has something to undo (for `root`, when given). */
  canUndoLastChange(root?: string): boolean {
    return this.lastChange !== undefined && (root === undefined || this.lastChange.root === resolve(root));
  }

  /**
   * Puts back the labels that the last change in this window replaced (one level deep; for `root`
   * only, when given). Files move back, or manifest rows get their old labels (rows the change
   * added stay, holding their previous label). Undefined when there is nothing to undo.
   */
  async undoLastChange(root?: string): Promise<LabelApplyResult | undefined> {
    const last = this.lastChange;
    if (!last || (root !== undefined && last.root !== resolve(root))) return undefined;
    this.lastChange = undefined;
    const result = await this.applyLabels(last.root, last.revert);
    // Undoing the undo is a redo nobody asked for: keep a single level.
    this.lastChange = undefined;
    return result;
  }

  private async moveFiles(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const plan = await planFolderMoves(root, changes, this.settings().unlabeledFolderName);
    const result: LabelApplyResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused };
    if (plan.moves.length === 0) return result;
    if (plan.moves.length > BULK_MOVES) return this.moveDirectly(plan.moves, result);
    const edit = new vscode.WorkspaceEdit();
    const metadata: vscode.WorkspaceEditEntryMetadata = { label: describeMoves(plan.moves), needsConfirmation: false };
    for (const move of plan.moves) edit.renameFile(vscode.Uri.file(move.fromPath), vscode.Uri.file(move.toPath), { overwrite: false }, metadata);
    const ok = await vscode.workspace.applyEdit(edit);
    // Report what the file system shows, not what was asked: if VS Code stopped partway, the
    // files already moved are applied and the rest refused.
    for (const move of plan.moves) {
      const { fromPath, toPath, ...applied } = move;
      if ((await pathExists(toPath)) && !(await pathExists(fromPath))) result.applied.push(applied);
      else result.refused.push({ change: { relPath: move.oldRelPath, label: move.newLabel }, reason: `${move.oldRelPath} could not be moved to ${move.newRelPath}${ok ? '' : ' (VS Code refused the move)'}.` });
    }
    return result;
  }

  /** Many files: straight on disk, one by one, never overwriting (a name taken meanwhile is refused). */
  private async moveDirectly(moves: readonly FolderMove[], result: LabelApplyResult): Promise<LabelApplyResult> {
    const started = performance.now();
    await carryOutMoves(moves, result);
    this.log.info(`Moved ${result.applied.length} files directly (more than ${BULK_MOVES}) in ${((performance.now() - started) / 1000).toFixed(1)} s; Ctrl+Z in the review panel moves them back.`);
    return result;
  }

  private async writeManifest(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const writer = await this.writerFor(root);
    return writer.apply(changes);
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

function describeMoves(moves: readonly FolderMove[]): string {
  const labels = [...new Set(moves.map((move) => move.newLabel ?? 'unlabelled'))];
  return `Curator: label ${moves.length} image${moves.length === 1 ? '' : 's'} as ${labels.join(', ')}`;
}
