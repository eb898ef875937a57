// The review panel: one webview on one dataset root at a time (a switcher picks among the roots).
// This class owns the webview panel's life (opening, reviving after a restart, disposing, its page)
// and answers ReviewMessageHandler's checked calls by handing each to the part that owns it:
// ReviewSession (the open root and its refreshes), ReviewReplies (pages, details, the map),
// ReviewLabelling (label changes) and ReviewExport (the Export button).

import * as vscode from 'vscode';
import type { ReviewHostMessage, ReviewPanelState, ReviewReply } from '../../shared/protocol/review';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { PanelMilestones } from './panelMilestones';
import { scannedRoots, resourceRoots, stateBackupFor } from './panelResources';
import { newerThanWorkbench, type PanelStateBackup } from './panelStateBackup';
import { ReviewExport } from './reviewExport';
import { reviewHtml } from './reviewHtml';
import type { ReviewLabelWriter } from './reviewLabelWriter';
import { ReviewLabelling } from './reviewLabelling';
import { ReviewMessageHandler, type ReviewActions } from './reviewMessageHandler';
import { ReviewReplies } from './reviewReplies';
import { ReviewSession } from './reviewSession';

export interface ReviewPanelDeps {
  context: CommandContext;
  /** Writes label changes (folder moves or manifest rows). */
  labels: ReviewLabelWriter;
}

export class ReviewPanel implements ReviewActions, vscode.Disposable {
  static readonly viewType = 'curator.review';
  private static current: ReviewPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private readonly handler: ReviewMessageHandler;
  private readonly session: ReviewSession;
  private readonly replies: ReviewReplies;
  private readonly labelling: ReviewLabelling;
  private readonly exporter: ReviewExport;
  private readonly stateBackup: PanelStateBackup;
  private pendingRestore: ReviewPanelState | undefined;
  private readonly milestones: PanelMilestones;

  /** Opens the panel (or reveals the open one) on the workspace's datasets. */
  static async show(deps: ReviewPanelDeps): Promise<void> {
    if (ReviewPanel.current) {
      ReviewPanel.current.panel.reveal();
      return;
    }
    const { roots, scanIds } = await scannedRoots(deps.context);
    const panel = vscode.window.createWebviewPanel(ReviewPanel.viewType, 'Curator Review', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: resourceRoots(deps.context, roots),
    });
    ReviewPanel.current = new ReviewPanel(panel, deps, roots, { freshScanIds: scanIds });
  }

  /**
   * Brings back a panel VS Code restored after a restart. Its webview state comes back through
   * getState; when the host's copy is newer (the workbench lost its own), the host sends that.
   */
  static async revive(deps: ReviewPanelDeps, panel: vscode.WebviewPanel, state: ReviewPanelState): Promise<void> {
    ReviewPanel.current?.dispose();
    const { roots, scanIds } = await scannedRoots(deps.context).catch(() => ({ roots: [] as string[], scanIds: new Map<string, string>() }));
    const restore = newerThanWorkbench(state, await stateBackupFor(deps.context).load());
    panel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(deps.context, roots) };
    ReviewPanel.current = new ReviewPanel(panel, deps, roots, { restore, freshScanIds: scanIds });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: ReviewPanelDeps,
    roots: string[],
    start: {
      /** State to send the webview before its first overview (see revive). */
      restore?: ReviewPanelState;
      /** Roots this panel's command scanned just now: their first open takes that scan (see ScanHandoff). */
      freshScanIds?: Map<string, string>;
    } = {},
  ) {
    const { context } = deps;
    const post = (message: ReviewHostMessage): void => this.post(message);
    this.pendingRestore = start.restore;
    this.stateBackup = stateBackupFor(context);
    this.milestones = new PanelMilestones((message) => context.log.info(message));
    this.session = new ReviewSession(context, roots, start.freshScanIds ?? new Map(), this.milestones, { post, reportError: (message) => this.reportError(message) });
    this.replies = new ReviewReplies(context, (path) => this.uriOf(path), post, this.milestones);
    this.labelling = new ReviewLabelling(context, deps.labels, this.session, post);
    this.exporter = new ReviewExport(context, this.session, post);
    this.handler = new ReviewMessageHandler(this, (message) => context.log.warn(message));
    panel.webview.html = reviewHtml(panel.webview, context.extension.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.handler.handle(raw)),
    );
  }

  private get context(): CommandContext {
    return this.deps.context;
  }

  // ReviewActions: called by the message handler with checked arguments.

  currentRoot(): string | undefined {
    return this.session.root;
  }

  knownRoots(): readonly string[] {
    return this.session.roots;
  }

  async ready(root: string | undefined): Promise<void> {
    this.milestones.once('ready', 'webview ready');
    const restore = this.pendingRestore;
    this.pendingRestore = undefined;
    const { roots } = this.session;
    if (restore) {
      this.post({ type: 'restoreState', state: restore });
      if (restore.root !== undefined && roots.includes(restore.root)) root = restore.root;
    }
    if (roots.length === 0) {
      this.post({ type: 'busy', message: 'No dataset roots found in this workspace. Put labelled images in <root>/<class>/ and unlabelled ones in <root>/unlabeled/.' });
      return;
    }
    await this.session.open(root ?? this.session.root ?? this.session.largestRoot());
  }

  async selectRoot(root: string): Promise<void> {
    await this.session.open(root);
  }

  refresh(): Promise<void> {
    return this.session.refresh();
  }

  page(view: string, offset: number, count: number): Promise<ReviewReply> {
    return this.replies.page(this.session.requireRoot(), view, offset, count);
  }

  details(relPath: string, view: string | undefined): Promise<ReviewReply> {
    return this.replies.details(this.session.requireRoot(), relPath, view);
  }

  projection(): Promise<ReviewReply> {
    return this.replies.projection(this.session.requireRoot());
  }

  applyLabel(relPaths: string[], label: string | null): Promise<void> {
    return this.labelling.applyLabel(relPaths, label);
  }

  undoLabel(): Promise<void> {
    return this.labelling.undoLabel();
  }

  pickLabel(relPaths: string[]): Promise<void> {
    return this.labelling.pickLabel(relPaths);
  }

  labelGroup(view: string, groupId: string): Promise<void> {
    return this.labelling.labelGroup(view, groupId);
  }

  createClassFromGroup(view: string, groupId: string): Promise<void> {
    return this.labelling.createClassFromGroup(view, groupId);
  }

  acceptSuggestions(): Promise<void> {
    return this.labelling.acceptSuggestions();
  }

  exportView(view: string, relPaths: string[] | undefined): Promise<void> {
    return this.exporter.exportView(view, relPaths);
  }

  cancelOperation(): void {
    this.exporter.cancel();
  }

  async markSkipped(relPaths: string[], skipped: boolean): Promise<void> {
    const root = this.session.requireRoot();
    if (!requireTrust('Marking images as skipped')) return;
    this.session.show(await this.context.engine.call('reviewMark', { root, relPaths, skipped }));
  }

  rememberState(state: ReviewPanelState): void {
    this.stateBackup.remember(state);
  }

  async openFile(absPath: string): Promise<void> {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(absPath), { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  reply(requestId: number, reply: ReviewReply): void {
    this.post({ type: 'reply', requestId, reply });
  }

  reportError(message: string): void {
    this.context.log.error(`Review panel: ${message}`);
    void vscode.window.showErrorMessage(`Curator: ${message}`);
  }

  // The webview.

  private post(message: ReviewHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private uriOf(path: string | null): string | null {
    return path ? this.panel.webview.asWebviewUri(vscode.Uri.file(path)).toString() : null;
  }

  dispose(): void {
    if (ReviewPanel.current === this) ReviewPanel.current = undefined;
    void this.stateBackup.flush();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.session.dispose();
  }
}
