// The dataset summary webview: counts, class histogram, problems and embedding status per root.
// It is pushed a fresh view model whenever the state changes, after the webview says it is ready.

import * as vscode from 'vscode';
import { LOW_AGREEMENT } from '../core/embed/neighbourAgreement';
import type { EmbedDatasetResult } from '../core/embed/types';
import { FINDING_KINDS } from '../core/quality/imageFindings';
import { cachedEmbeddingsSentence, encoderCheckSentence, imageProblemCounts, imageProblemRunNote } from '../core/report/summaryText';
import { listCachedEmbeddings } from '../core/review/cachedEmbeddings';
import { readImageProblemCounts } from '../core/review/imageProblemCounts';
import { resolveCacheDir } from '../core/workspace/cacheDir';
import { resolveInsideRoot } from '../core/workspace/insideRoot';
import { parseSummaryMessage, type RootSummaryView, type SummaryHostMessage, type SummaryViewModel } from '../shared/protocol/summary';
import type { CommandContext } from './commandContext';
import { webviewPage } from './webviewPage';

export class SummaryPanel implements vscode.Disposable {
  static readonly viewType = 'curator.summary';
  private static current: SummaryPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private scannedAt: string | null = null;
  /** Posts build their view model asynchronously; only the newest one is sent. */
  private postCount = 0;

  static show(context: CommandContext): void {
    if (SummaryPanel.current) {
      SummaryPanel.current.panel.reveal();
      return;
    }
    const media = vscode.Uri.joinPath(context.extension.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(context.extension.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(SummaryPanel.viewType, 'Dataset Summary', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media, dist],
    });
    SummaryPanel.current = new SummaryPanel(panel, context);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: CommandContext,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      context.state.onDidChange(() => {
        this.scannedAt = new Date().toISOString();
        void this.postSummary();
      }),
    );
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseSummaryMessage(raw);
    if (!message) {
      this.context.log.warn(`Summary view sent a malformed message; ignored: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.postSummary();
        return;
      case 'runCommand':
        await vscode.commands.executeCommand(message.command);
        return;
      case 'openFile': {
        const known = this.context.state.lastScan?.some((summary) => summary.root === message.root);
        const path = known ? await resolveInsideRoot(message.root, message.relPath) : undefined;
        if (!path) {
          this.context.log.warn(`Summary view asked to open a path outside the dataset roots; refused: ${message.root} / ${message.relPath}`);
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path));
        return;
      }
    }
  }

  private async postSummary(): Promise<void> {
    if (!this.ready) return;
    const post = ++this.postCount;
    const summary = await this.viewModel();
    if (post !== this.postCount) return;
    const message: SummaryHostMessage = { type: 'summary', summary };
    void this.panel.webview.postMessage(message);
  }

  private async viewModel(): Promise<SummaryViewModel> {
    const scans = this.context.state.lastScan ?? [];
    const imageProblems = await Promise.all(scans.map((scan) => this.imageProblemsView(scan.root)));
    const cached = await Promise.all(scans.map((scan) => listCachedEmbeddings(this.cacheDirOf(scan.root))));
    return {
      scannedAt: this.scannedAt,
      roots: scans.map((scan, index) => {
        const embedding = this.context.state.embeddingFor(scan.root);
        return {
          root: scan.root,
          displayName: vscode.workspace.asRelativePath(scan.root),
          counts: scan.counts,
          classes: scan.classes,
          manifest: scan.manifest?.relPath ?? null,
          problems: scan.problems.map(({ relPath, severity, message, line }) => ({ relPath, severity, message, line })),
          embedding: embedding
            ? {
                modelName: embedding.modelName,
                modelId: embedding.modelId,
                provider: embedding.provider,
                providerNote: embedding.providerNote,
                dim: embedding.dim,
                embedded: embedding.embedded,
                fromCache: embedding.fromCache,
                failed: embedding.failed,
                encoderCheck: encoderCheckView(embedding),
              }
            : null,
          cachedEmbeddings: cachedEmbeddingsSentence(cached[index] ?? []),
          imageProblems: imageProblems[index] ?? null,
        };
      }),
    };
  }

  private cacheDirOf(root: string): string {
    return resolveCacheDir(root, this.context.settings().cacheLocation);
  }

  /** The newest run's counts: its result file (which outlives the window and holds CLI runs too), else this window's run. */
  private async imageProblemsView(root: string): Promise<RootSummaryView['imageProblems']> {
    const stored = await readImageProblemCounts(this.cacheDirOf(root));
    const problems = stored ?? this.context.state.imageProblemsFor(root);
    if (!problems) return null;
    return {
      sentence: imageProblemCounts(problems.counts, problems.images),
      images: problems.images,
      counts: FINDING_KINDS.map((kind) => ({ kind, count: problems.counts[kind] })),
      note: stored ? imageProblemRunNote(stored.createdAt, stored.olderThanEmbeddings) : null,
    };
  }

  private html(): string {
    return webviewPage(this.panel.webview, this.context.extension.extensionUri, {
      script: 'summary.js',
      style: 'summary.css',
      title: 'Dataset Summary',
      placeholder: '<main id="app" aria-live="polite"><p class="empty">Waiting for a scan…</p></main>',
    });
  }

  dispose(): void {
    SummaryPanel.current = undefined;
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function encoderCheckView(embedding: EmbedDatasetResult): { agreement: number; sentence: string; low: boolean } | null {
  const sentence = encoderCheckSentence(embedding);
  if (sentence === undefined || embedding.neighbourAgreement === undefined) return null;
  return { agreement: embedding.neighbourAgreement, sentence, low: embedding.neighbourAgreement < LOW_AGREEMENT };
}
