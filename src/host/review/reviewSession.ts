// What the review panel shows and when it reads it again: the workspace's dataset roots, the
// overview of the open root (read through the engine), and the events that make it stale: a job's
// new results, labels written by a command, files changed outside the panel. Every overview read
// is posted to the webview.

import * as vscode from 'vscode';
import { pathsWrittenBy } from '../../core/labels/pathsWrittenBy';
import type { ReviewOverview } from '../../core/review/types';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import type { ReviewHostMessage, ReviewOverviewView } from '../../shared/protocol/review';
import { modelSource, type CommandContext } from '../commandContext';
import type { PanelMilestones } from './panelMilestones';
import { untrustedScratchDir } from './panelResources';
import { RootWatcher } from './rootWatcher';

/** How the session reaches the webview and the user. */
export interface SessionOutlet {
  post(message: ReviewHostMessage): void;
  reportError(message: string): void;
}

export class ReviewSession implements vscode.Disposable {
  private overview: ReviewOverview | undefined;
  /** Label writes of this panel in progress (their change events are not news to it). */
  private ownLabelWrites = 0;
  private readonly disposables: vscode.Disposable[];
  /** Rereads the root when its files change outside the panel. */
  private readonly rootWatcher = new RootWatcher((root) => {
    if (root === this.root && this.ownLabelWrites === 0) this.refreshInBackground();
  });

  constructor(
    private readonly context: CommandContext,
    /** The workspace's dataset roots, offered by the switcher. */
    readonly roots: readonly string[],
    /** Roots the panel's command scanned just now: their first open takes that scan (see ScanHandoff). */
    private readonly freshScanIds: Map<string, string>,
    private readonly milestones: PanelMilestones,
    private readonly outlet: SessionOutlet,
  ) {
    this.disposables = [
      // A job run from the palette while the panel is open: show its result (new views, chips) at once.
      context.state.onDidWriteResults((root) => {
        if (root === this.root) this.refreshInBackground();
      }),
      // Labels written by a command (Accept Sure Suggestions): the files have moved, show them where they are.
      // The panel's own writes reopen the root themselves.
      context.state.onDidChangeLabels((event) => {
        if (event.root !== this.root) return;
        // The watcher reports these files a moment later; this write's refresh already covers them.
        this.rootWatcher.expect(pathsWrittenBy(event.root, event.result));
        if (this.ownLabelWrites === 0) this.refreshInBackground();
      }),
    ];
  }

  /** The dataset root the panel shows, once one is open. */
  get root(): string | undefined {
    return this.overview?.root;
  }

  /** The open root's classes with their image counts (none before a root is open). */
  get classes(): ReviewOverview['classes'] {
    return this.overview?.classes ?? [];
  }

  /** A view's title in the open root, or its id when it has none. */
  viewTitle(view: string): string {
    return this.overview?.views.find((v) => v.id === view)?.title ?? view;
  }

  requireRoot(): string {
    const root = this.root;
    if (!root) throw new Error('No dataset is open in the review panel yet.');
    return root;
  }

  /** Reads `root` through the engine, watches it, and posts its overview. */
  async open(root: string): Promise<void> {
    const settings = this.context.settings();
    this.outlet.post({ type: 'busy', message: `Reading ${vscode.workspace.asRelativePath(root)}…` });
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
      this.outlet.post({ type: 'busy', message: null });
    }
    this.postOverview();
  }

  async refresh(): Promise<void> {
    if (this.overview) await this.open(this.overview.root);
  }

  /** Shows an overview the engine returned after a change (skip marks) without reading the root again. */
  show(overview: ReviewOverview): void {
    this.overview = overview;
    this.postOverview();
  }

  /** Runs a label write of the panel's own: the change events it causes do not refresh the panel. */
  async ownWrite<T>(write: () => Promise<T>): Promise<T> {
    this.ownLabelWrites++;
    try {
      return await write();
    } finally {
      this.ownLabelWrites--;
    }
  }

  /** The root with the most images in the last scan: the one opened first. */
  largestRoot(): string {
    const scans = this.context.state.lastScan ?? [];
    const sizes = new Map(scans.map((scan) => [scan.root, scan.counts.images]));
    return [...this.roots].sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))[0];
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.rootWatcher.dispose();
  }

  private refreshInBackground(): void {
    void this.refresh().catch((error: unknown) => this.outlet.reportError(error instanceof Error ? error.message : String(error)));
  }

  private postOverview(): void {
    if (this.overview) this.outlet.post({ type: 'overview', overview: this.overviewView(this.overview) });
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
      canWrite: vscode.workspace.isTrusted && !overview.annotations,
      ...(overview.annotations ? { readOnlyReason: annotationsReadOnly(overview.annotations) } : {}),
    };
  }
}

/** What the panel says in a COCO or YOLO root, where labels are annotations (docs/coco-yolo.md). */
function annotationsReadOnly(kind: 'coco' | 'yolo'): string {
  return `This is a ${kind.toUpperCase()} dataset: its labels are annotations, edited in an annotation tool (Export… offers a ${kind.toUpperCase()} subset).`;
}
