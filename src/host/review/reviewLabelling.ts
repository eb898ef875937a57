// The panel's label changes: a class for the chosen images (typed or picked), a class for every
// member of a group, a new class made from a group, Ctrl+Z, and Accept Sure Suggestions on the open
// root. Each asks and confirms through VS Code, writes through the label service, then reads the
// root again so the webview shows the files where they are now.

import * as vscode from 'vscode';
import { detectLabelStorage } from '../../core/labels/labelMode';
import { parseLabel, type ReviewHostMessage } from '../../shared/protocol/review';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickClass } from './labelPicker';
import type { ReviewLabelWriter } from './reviewLabelWriter';
import type { ReviewSession } from './reviewSession';

export class ReviewLabelling {
  constructor(
    private readonly context: CommandContext,
    /** Writes label changes (folder moves or manifest rows). */
    private readonly labels: ReviewLabelWriter,
    private readonly session: ReviewSession,
    private readonly post: (message: ReviewHostMessage) => void,
  ) {}

  async applyLabel(relPaths: string[], label: string | null): Promise<void> {
    const root = this.session.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const writer = this.labels;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Curator: labelling ${relPaths.length} image(s)` },
      () => this.session.ownWrite(() => writer.applyLabels(root, relPaths.map((relPath) => ({ relPath, label })))),
    );
    this.context.log.info(`Review: labelled ${outcome.applied.length} image(s) in ${root} as ${label ?? '(unlabelled)'}; ${outcome.refused.length} refused.`);
    if (outcome.refused.length > 0) {
      void vscode.window.showWarningMessage(`Curator: ${outcome.refused.length} label change(s) refused: ${outcome.refused[0].reason}`);
    }
    await this.session.open(root);
    this.post({ type: 'labelled', relPaths: outcome.applied.map((change) => change.newRelPath), label });
  }

  /** Ctrl+Z: the newest label change in this root's label journal, made here, by a command, in another window or by `curator label`. */
  async undoLabel(): Promise<void> {
    const root = this.session.root;
    const writer = this.labels;
    let outcome;
    try {
      outcome = root ? await this.session.ownWrite(() => writer.undoLastChange(root)) : undefined;
    } catch (error) {
      this.post({ type: 'busy', message: null });
      throw error;
    }
    if (!root || !outcome) {
      this.post({ type: 'busy', message: null });
      void vscode.window.showInformationMessage('Curator: there is no label change to undo in this dataset.');
      return;
    }
    this.context.log.info(`Review: undid the newest label change in ${root} (${outcome.applied.length} image(s) restored, ${outcome.refused.length} refused).`);
    if (outcome.refused.length > 0) void vscode.window.showWarningMessage(`Curator: ${outcome.refused.length} change(s) could not be undone: ${outcome.refused[0].reason}`);
    await this.session.open(root);
    const by = outcome.run.origin === 'cli' ? ', made by curator label' : '';
    const already = outcome.notApplied > 0 ? `; ${outcome.notApplied} were as before already` : '';
    this.post({ type: 'notice', message: `Undid the newest label change${by} (${outcome.applied.length} image(s)${already}).` });
  }

  async pickLabel(relPaths: string[]): Promise<void> {
    const label = await pickClass(this.session.classes, relPaths.length);
    if (label !== undefined) await this.applyLabel(relPaths, label);
  }

  async labelGroup(view: string, groupId: string): Promise<void> {
    const root = this.session.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const members = await this.context.engine.call('reviewGroup', { root, view, groupId });
    const count = members.relPaths.length;
    const label = await pickClass(this.session.classes, count, {
      title: `Label all ${count} images of ${members.group.title}`,
      suggested: members.suggested ? { label: members.suggested.label, detail: `The top suggestion for ${members.suggested.members} of the ${count} images` } : undefined,
    });
    if (label === undefined) return;
    // The same label service as every other label change; confirmed first, because it touches many files at once.
    const storage = await detectLabelStorage(root);
    const how = storage.mode === 'folder' ? `The ${count} files move into the folder "${label}".` : `${count} rows of ${storage.manifestPath} are rewritten.`;
    const confirm = `Label ${count} images`;
    const answer = await vscode.window.showWarningMessage(
      `Label all ${count} images of ${members.group.title} as "${label}"?`,
      { modal: true, detail: `${how} Ctrl+Z in the panel undoes it.` },
      confirm,
    );
    if (answer !== confirm) return;
    await this.applyLabel(members.relPaths, label);
  }

  /**
   * "Possibly new classes": a group becomes a class. Asks for a name that no class has yet, confirms,
   * then labels every member through the label service (a new class folder, or new manifest rows'
   * labels), so Ctrl+Z in the panel undoes it like any label change.
   */
  async createClassFromGroup(view: string, groupId: string): Promise<void> {
    const root = this.session.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const members = await this.context.engine.call('reviewGroup', { root, view, groupId });
    const count = members.relPaths.length;
    const existing = new Set(this.session.classes.map((c) => c.name));
    const name = await vscode.window.showInputBox({
      title: `Create a class from the ${count} images of ${members.group.title}`,
      prompt: 'Name of the new class (its folder name in a folder dataset)',
      validateInput: (value) => {
        const label = parseLabel(value);
        if (label === undefined) return 'A class name is 1-100 characters, without / \\ : * ? " < > | or control characters, and not . or ..';
        return existing.has(label) ? `"${label}" is already a class: use G (Label all) to add these images to it.` : undefined;
      },
    });
    const label = parseLabel(name);
    if (label === undefined || existing.has(label)) return;
    const storage = await detectLabelStorage(root);
    const how = storage.mode === 'folder' ? `A folder "${label}" is created and the ${count} files move into it.` : `${count} rows of ${storage.manifestPath} get the label "${label}".`;
    const confirm = `Create "${label}"`;
    const answer = await vscode.window.showWarningMessage(`Create the class "${label}" from the ${count} images of ${members.group.title}?`, { modal: true, detail: `${how} Ctrl+Z in the panel undoes it.` }, confirm);
    if (answer !== confirm) return;
    await this.applyLabel(members.relPaths, label);
  }

  async acceptSuggestions(): Promise<void> {
    // The command writes through the label service; the panel refreshes on its change event.
    await vscode.commands.executeCommand('curator.acceptSuggestions', { root: this.session.requireRoot() });
  }
}
