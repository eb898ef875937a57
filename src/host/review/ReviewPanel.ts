// The review panel: one webview on one dataset root at a time (a switcher picks among the roots).
// The webview pulls pages, details and the map through ReviewMessageHandler; this class answers
// from the engine, turns cached thumbnail paths into webview URIs, writes labels through the label
// service and pushes a fresh overview after every change.

import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseLabel } from '../../shared/protocol/review';
import type { ReviewItem, ReviewOverview } from '../../core/review/types';
import { detectLabelStorage } from '../../core/labels/labelMode';
import { isAbortError } from '../../core/util/abort';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { THUMBS_FOLDER } from '../../core/review/cacheLayout';
import type { ReviewHostMessage, ReviewItemView, ReviewOverviewView, ReviewPanelState, ReviewReply } from '../../shared/protocol/review';
import { modelSource, type CommandContext } from '../commandContext';
import { exportImages } from '../commands/exportSelection';
import { scanQuietly } from '../commands/scanWorkspace';
import { requireTrust } from '../trust';
import { pickClass } from './labelPicker';
import { newerThanWorkbench, PanelStateBackup } from './panelStateBackup';
import { reviewHtml } from './reviewHtml';
import type { ReviewLabelWriter } from './reviewLabelWriter';
import { ReviewMessageHandler, type ReviewActions } from './reviewMessageHandler';
import { PanelMilestones } from './panelMilestones';
import { pathsWrittenBy, RootWatcher } from './rootWatcher';

const NEIGHBOURS = 8;

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
  private overview: ReviewOverview | undefined;
  private roots: string[] = [];
  /** Cancels the long operation (an export) the webview started, from its Cancel button. */
  private operation: AbortController | undefined;
  private readonly stateBackup: PanelStateBackup;
  private pendingRestore: ReviewPanelState | undefined;
  private readonly freshScanIds: Map<string, string>;
  private readonly milestones: PanelMilestones;
  /** Label writes of this panel in progress (their change events are not news to it). */
  private ownLabelWrites = 0;
  /** Rereads the root when its files change outside the panel. */
  private readonly rootWatcher = new RootWatcher((root) => {
    if (root === this.overview?.root && this.ownLabelWrites === 0) void this.refresh().catch((error: unknown) => this.reportError(error instanceof Error ? error.message : String(error)));
  });

  /** Opens the panel (or reveals the open one) on the workspace's datasets. */
  static async show(deps: ReviewPanelDeps): Promise<void> {
    if (ReviewPanel.current) {
      ReviewPanel.current.panel.reveal();
      return;
    }
    const { roots, scanIds } = await datasetRoots(deps.context);
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
    const { roots, scanIds } = await datasetRoots(deps.context).catch(() => ({ roots: [] as string[], scanIds: new Map<string, string>() }));
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
    this.roots = roots;
    this.pendingRestore = start.restore;
    this.freshScanIds = start.freshScanIds ?? new Map();
    this.stateBackup = stateBackupFor(deps.context);
    this.milestones = new PanelMilestones((message) => deps.context.log.info(message));
    this.handler = new ReviewMessageHandler(this, (message) => deps.context.log.warn(message));
    panel.webview.html = reviewHtml(panel.webview, deps.context.extension.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.handler.handle(raw)),
      // A job run from the palette while the panel is open: show its result (new views, chips) at once.
      deps.context.state.onDidWriteResults((root) => {
        if (root === this.overview?.root) void this.refresh().catch((error: unknown) => this.reportError(error instanceof Error ? error.message : String(error)));
      }),
      // Labels written by a command (Accept Sure Suggestions): the files have moved, show them where they are.
      // The panel's own writes reopen the root themselves.
      deps.context.state.onDidChangeLabels((event) => {
        if (event.root !== this.overview?.root) return;
        // The watcher reports these files a moment later; this write's refresh already covers them.
        this.rootWatcher.expect(pathsWrittenBy(event.root, event.result));
        if (this.ownLabelWrites === 0) void this.refresh().catch((error: unknown) => this.reportError(error instanceof Error ? error.message : String(error)));
      }),
    );
  }

  private get context(): CommandContext {
    return this.deps.context;
  }

  // ReviewActions: called by the message handler with checked arguments.

  currentRoot(): string | undefined {
    return this.overview?.root;
  }

  knownRoots(): readonly string[] {
    return this.roots;
  }

  async ready(root: string | undefined): Promise<void> {
    this.milestones.once('ready', 'webview ready');
    const restore = this.pendingRestore;
    this.pendingRestore = undefined;
    if (restore) {
      this.post({ type: 'restoreState', state: restore });
      if (restore.root !== undefined && this.roots.includes(restore.root)) root = restore.root;
    }
    if (this.roots.length === 0) {
      this.post({ type: 'busy', message: 'No dataset roots found in this workspace. Put labelled images in <root>/<class>/ and unlabelled ones in <root>/unlabeled/.' });
      return;
    }
    await this.open(root ?? this.overview?.root ?? this.largestRoot());
  }

  async selectRoot(root: string): Promise<void> {
    await this.open(root);
  }

  async refresh(): Promise<void> {
    if (this.overview) await this.open(this.overview.root);
  }

  async page(view: string, offset: number, count: number): Promise<ReviewReply> {
    const root = this.requireRoot();
    const page = await this.context.engine.call('reviewPage', { root, view, offset, count });
    this.milestones.once('page', `first page (${page.items.length} of ${view}) answered`);
    return { kind: 'page', view: page.view, generation: page.generation, total: page.total, offset: page.offset, items: page.items.map((item) => this.itemView(item)) };
  }

  async details(relPath: string, view: string | undefined): Promise<ReviewReply> {
    const details = await this.context.engine.call('reviewDetails', { root: this.requireRoot(), relPath, neighbours: NEIGHBOURS, ...(view ? { view } : {}) });
    return {
      kind: 'details',
      details: {
        item: this.itemView(details.item),
        previewUri: this.uriOf(details.previewPath),
        neighbours: details.neighbours.map((n) => ({ relPath: n.relPath, label: n.label, similarity: n.similarity, thumbUri: this.uriOf(n.thumbPath) })),
        ...(details.neighbourNote ? { neighbourNote: details.neighbourNote } : {}),
      },
    };
  }

  async projection(): Promise<ReviewReply> {
    const root = this.requireRoot();
    this.post({ type: 'busy', message: 'Computing the embedding map…' });
    try {
      const projection = await this.context.engine.call('reviewProjection', { root });
      const { generation, relPaths, xs, ys, kinds, explained } = projection;
      return { kind: 'projection', projection: { generation, relPaths, xs, ys, kinds, explained } };
    } finally {
      this.post({ type: 'busy', message: null });
    }
  }

  async applyLabel(relPaths: string[], label: string | null): Promise<void> {
    const root = this.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const writer = this.deps.labels;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Curator: labelling ${relPaths.length} image(s)` },
      () => this.ownWrite(() => writer.applyLabels(root, relPaths.map((relPath) => ({ relPath, label })))),
    );
    this.context.log.info(`Review: labelled ${outcome.applied.length} image(s) in ${root} as ${label ?? '(unlabelled)'}; ${outcome.refused.length} refused.`);
    if (outcome.refused.length > 0) {
      void vscode.window.showWarningMessage(`Curator: ${outcome.refused.length} label change(s) refused: ${outcome.refused[0].reason}`);
    }
    await this.open(root);
    this.post({ type: 'labelled', relPaths: outcome.applied.map((change) => change.newRelPath), label });
  }

  /** Ctrl+Z: the last label change in this window on this root, made here or by a command (Accept Sure Suggestions). */
  async undoLabel(): Promise<void> {
    const root = this.overview?.root;
    const writer = this.deps.labels;
    const outcome = root ? await this.ownWrite(() => writer.undoLastChange(root)) : undefined;
    if (!root || !outcome) {
      this.post({ type: 'busy', message: null });
      void vscode.window.showInformationMessage('Curator: there is no label change to undo in this dataset.');
      return;
    }
    this.context.log.info(`Review: undid the last label change in ${root} (${outcome.applied.length} image(s) restored, ${outcome.refused.length} refused).`);
    if (outcome.refused.length > 0) void vscode.window.showWarningMessage(`Curator: ${outcome.refused.length} change(s) could not be undone: ${outcome.refused[0].reason}`);
    await this.open(root);
    this.post({ type: 'notice', message: `Undid the last label change (${outcome.applied.length} image(s)).` });
  }

  async pickLabel(relPaths: string[]): Promise<void> {
    const label = await pickClass(this.overview?.classes ?? [], relPaths.length);
    if (label !== undefined) await this.applyLabel(relPaths, label);
  }

  async labelGroup(view: string, groupId: string): Promise<void> {
    const root = this.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const members = await this.context.engine.call('reviewGroup', { root, view, groupId });
    const count = members.relPaths.length;
    const label = await pickClass(this.overview?.classes ?? [], count, {
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
    const root = this.requireRoot();
    if (!requireTrust('Writing labels')) return;
    const members = await this.context.engine.call('reviewGroup', { root, view, groupId });
    const count = members.relPaths.length;
    const existing = new Set((this.overview?.classes ?? []).map((c) => c.name));
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

  async exportView(view: string, relPaths: string[] | undefined): Promise<void> {
    const root = this.requireRoot();
    if (!requireTrust('Exporting images')) return;
    if (this.operation) {
      this.post({ type: 'notice', message: 'An export is already running; cancel it first.' });
      return;
    }
    const { items } = await this.context.engine.call('reviewExportItems', { root, view, ...(relPaths ? { relPaths } : {}) });
    const title = this.overview?.views.find((v) => v.id === view)?.title ?? view;
    if (items.length === 0) {
      this.post({ type: 'notice', message: `The view ${title} has no images to export.` });
      return;
    }
    const what = relPaths ? `selected images of ${title}` : `images of ${title}`;
    const controller = new AbortController();
    this.operation = controller;
    try {
      const result = await exportImages(this.context, root, items, {
        what,
        listName: view,
        signal: controller.signal,
        onStart: () => this.post({ type: 'busy', message: `Exporting ${items.length} ${what}…`, cancellable: true }),
        onProgress: (done, total) => this.post({ type: 'busy', message: `Exporting ${what}: ${done} / ${total}`, cancellable: true }),
      });
      this.post({ type: 'busy', message: null });
      this.post({ type: 'notice', message: result ? `Exported ${result.exported} of ${result.requested} ${what} to ${result.out}.` : 'Nothing exported: the prompt was dismissed.' });
    } catch (error) {
      this.post({ type: 'busy', message: null });
      // Cancelled from the panel or from the notification: files written so far are kept, as in Export Selection.
      if (isAbortError(error)) this.post({ type: 'notice', message: 'Export cancelled; what was written so far stays.' });
      else throw error;
    } finally {
      this.operation = undefined;
    }
  }

  async acceptSuggestions(): Promise<void> {
    // The command writes through the label service; the panel refreshes on its change event.
    await vscode.commands.executeCommand('curator.acceptSuggestions', { root: this.requireRoot() });
  }

  cancelOperation(): void {
    this.operation?.abort();
  }

  rememberState(state: ReviewPanelState): void {
    this.stateBackup.remember(state);
  }

  async markSkipped(relPaths: string[], skipped: boolean): Promise<void> {
    this.requireRoot();
    if (!requireTrust('Marking images as skipped')) return;
    this.overview = await this.context.engine.call('reviewMark', { root: this.requireRoot(), relPaths, skipped });
    this.postOverview();
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

  // Internals.

  private async open(root: string): Promise<void> {
    const settings = this.context.settings();
    this.post({ type: 'busy', message: `Reading ${vscode.workspace.asRelativePath(root)}…` });
    try {
      // Checked at every open: trust can be granted while the panel is open.
      const scratchDir = vscode.workspace.isTrusted ? undefined : untrustedScratchDir(this.context, root);
      const scanId = this.freshScanIds.get(root);
      this.freshScanIds.delete(root);
      const started = performance.now();
      this.overview = await this.context.engine.call('reviewOpen', {
        root,
        ...(scanId ? { scanId } : {}),
        cacheDir: resolveCacheDir(root, settings.cacheLocation),
        unlabeledFolderName: settings.unlabeledFolderName,
        model: modelSource(this.context),
        ...(scratchDir ? { scratchDir } : {}),
      });
      this.rootWatcher.watch(root, resolveCacheDir(root, settings.cacheLocation));
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      this.context.log.info(`Review panel: read ${root} (${this.overview.counts.images.toLocaleString('en')} images) in ${seconds} s${scanId ? ', with the scan just made' : ''}; ${this.milestones.since()} s after the panel was made.`);
    } finally {
      this.post({ type: 'busy', message: null });
    }
    this.postOverview();
  }

  private postOverview(): void {
    if (this.overview) this.post({ type: 'overview', overview: this.overviewView(this.overview) });
  }

  private overviewView(overview: ReviewOverview): ReviewOverviewView {
    const embedding = this.context.state.embeddingFor(overview.root);
    return {
      root: overview.root,
      displayName: vscode.workspace.asRelativePath(overview.root),
      roots: this.roots.map((root) => ({ root, displayName: vscode.workspace.asRelativePath(root) })),
      generation: overview.generation,
      counts: overview.counts,
      classes: overview.classes,
      views: overview.views,
      selection: overview.selection,
      model: embedding
        ? { name: embedding.modelName, id: embedding.modelId, providerNote: embedding.providerNote }
        : { name: null, id: overview.modelId, providerNote: null },
      canWrite: vscode.workspace.isTrusted,
    };
  }

  private itemView(item: ReviewItem): ReviewItemView {
    const { relPath, label, skipped, problem, rank, score, reasons, duplicates, suggestions, group, unknownClass, pNewClass } = item;
    return {
      relPath,
      label,
      skipped,
      thumbUri: this.uriOf(item.thumbPath),
      ...(problem !== undefined ? { problem } : {}),
      ...(rank !== undefined ? { rank } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(reasons !== undefined ? { reasons } : {}),
      ...(duplicates !== undefined ? { duplicates } : {}),
      ...(suggestions !== undefined ? { suggestions } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(unknownClass ? { unknownClass, ...(pNewClass !== undefined ? { pNewClass } : {}) } : {}),
    };
  }

  private uriOf(path: string | null): string | null {
    return path ? this.panel.webview.asWebviewUri(vscode.Uri.file(path)).toString() : null;
  }

  private requireRoot(): string {
    const root = this.overview?.root;
    if (!root) throw new Error('No dataset is open in the review panel yet.');
    return root;
  }

  private async ownWrite<T>(write: () => Promise<T>): Promise<T> {
    this.ownLabelWrites++;
    try {
      return await write();
    } finally {
      this.ownLabelWrites--;
    }
  }

  private largestRoot(): string {
    const scans = this.context.state.lastScan ?? [];
    const sizes = new Map(scans.map((scan) => [scan.root, scan.counts.images]));
    return [...this.roots].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))[0];
  }

  private post(message: ReviewHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (ReviewPanel.current === this) ReviewPanel.current = undefined;
    void this.stateBackup.flush();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.rootWatcher.dispose();
  }
}

/** The roots of the last scan, scanning first when the workspace has not been scanned yet. */
/** The workspace's roots; scanIds only for roots scanned now (not an earlier scan, which may be stale). */
async function datasetRoots(context: CommandContext): Promise<{ roots: string[]; scanIds: Map<string, string> }> {
  const earlier = context.state.lastScan;
  if (earlier) return { roots: earlier.map((scan) => scan.root), scanIds: new Map() };
  const scans = await scanQuietly(context);
  return { roots: scans.map((scan) => scan.root), scanIds: new Map(scans.flatMap((scan) => (scan.scanId ? [[scan.root, scan.scanId] as const] : []))) };
}

/**
 * dist/ and media/ for the app, and each root's thumbnail folders (in its cache, and the scratch
 * folder used while the workspace is not trusted): nothing else can be loaded.
 */
function resourceRoots(context: CommandContext, roots: string[]): vscode.Uri[] {
  const { extensionUri } = context.extension;
  const cacheLocation = context.settings().cacheLocation;
  const thumbs = roots.flatMap((root) => {
    const scratch = vscode.Uri.file(join(untrustedScratchDir(context, root), THUMBS_FOLDER));
    try {
      return [vscode.Uri.file(join(resolveCacheDir(root, cacheLocation), THUMBS_FOLDER)), scratch];
    } catch {
      return [scratch];
    }
  });
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...thumbs];
}

/** The host's copy of the panel state, in the extension's storage for this workspace. */
function stateBackupFor(context: CommandContext): PanelStateBackup {
  return new PanelStateBackup(join(workspaceStorageDir(context), 'review-panel-state.json'), (message) => context.log.warn(message));
}

/** The extension's storage for this workspace (the global one when no folder is open). */
function workspaceStorageDir(context: CommandContext): string {
  return (context.extension.storageUri ?? context.extension.globalStorageUri).fsPath;
}

/**
 * Where browsing an untrusted workspace keeps what it makes (the content-hash index, thumbnails):
 * the extension's storage for this workspace, outside the workspace, one folder per root.
 */
function untrustedScratchDir(context: CommandContext, root: string): string {
  return resolveCacheDir(root, join(workspaceStorageDir(context), 'untrusted-review'));
}
