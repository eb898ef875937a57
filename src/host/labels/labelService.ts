// Applies label changes from the review panel and commands to a dataset root.
//  - Folder datasets: the files move between class folders through ONE WorkspaceEdit, so a single
//    Undo moves them all back, and the moves show in Source Control like any rename. VS Code files
//    an extension's moves under the moved files, not under the Explorer: Undo (Ctrl+Z or the
//    `undo` command) reaches them while an editor shows one of those files, such as the image
//    preview of a moved image; with only the Explorer focused it does not.
//  - Manifest datasets: labels.csv / labels.jsonl is rewritten by ManifestLabelWriter (atomic,
//    merged with changes made elsewhere, locked). VS Code cannot undo that write, so
//    undoLastManifestChange() writes the previous labels back through the same writer.
// Nothing is written in an untrusted workspace.
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { detectLabelStorage, ManifestLabelWriter, planFolderMoves, type FolderMove, type LabelApplyResult, type LabelChange } from '../../core/labels';
import type { CuratorState, LabelsChangedEvent } from '../curatorState';
import type { CuratorSettings } from '../settings';
import { requireTrust } from '../trust';
import { pathExists } from '../../core/util/pathExists';

interface ManifestUndo {
  root: string;
  changes: LabelChange[];
}

export class LabelService {
  private readonly writers = new Map<string, ManifestLabelWriter>();
  private lastManifestChange: ManifestUndo | undefined;

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
      this.log.info(`Labelled ${result.applied.length} image(s) in ${root} (${result.mode} dataset).`);
      this.state.labelsWritten({ root, result });
    }
    return result;
  }

  /** Whether undoLastManifestChange() has something to undo. */
  get canUndoManifestChange(): boolean {
    return this.lastManifestChange !== undefined;
  }

  /**
   * Writes back the labels that the last manifest change replaced (one level deep). Rows that the
   * change added stay in the manifest, holding their previous label. Folder datasets do not need
   * this: their moves are undone by VS Code's Undo.
   */
  async undoLastManifestChange(): Promise<LabelApplyResult | undefined> {
    const last = this.lastManifestChange;
    if (!last) return undefined;
    this.lastManifestChange = undefined;
    const result = await this.applyLabels(last.root, last.changes);
    // Undoing the undo is a redo nobody asked for: keep a single level.
    this.lastManifestChange = undefined;
    return result;
  }

  private async moveFiles(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const plan = await planFolderMoves(root, changes, this.settings().unlabeledFolderName);
    const result: LabelApplyResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused };
    if (plan.moves.length === 0) return result;
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

  private async writeManifest(root: string, changes: readonly LabelChange[]): Promise<LabelApplyResult> {
    const writer = await this.writerFor(root);
    const result = await writer.apply(changes);
    if (result.applied.length > 0) {
      this.lastManifestChange = { root, changes: result.applied.map((applied) => ({ relPath: applied.oldRelPath, label: applied.oldLabel })) };
    }
    return result;
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
