// Turns messages from the review webview into actions, after checking them: the shape against the
// protocol, the root against the workspace's dataset roots, and every path against the root
// (no `..`, no absolute paths, no symlinks leading out). Anything refused is logged and dropped;
// requests get an error reply. No vscode import: this is unit-tested (and fuzzed) in plain Node.

import { resolveInsideRoot } from '../../core/workspace/insideRoot';
import { parseReviewMessage, type ReviewPanelState, type ReviewReply, type ReviewRequest } from '../../shared/protocol/review';

/** What the panel does for the webview; implemented by ReviewPanel on top of the engine and VS Code. */
export interface ReviewActions {
  /** The dataset root the panel shows, once one is open. */
  currentRoot(): string | undefined;
  knownRoots(): readonly string[];
  ready(root: string | undefined): Promise<void>;
  page(view: string, offset: number, count: number): Promise<ReviewReply>;
  details(relPath: string, view: string | undefined): Promise<ReviewReply>;
  projection(): Promise<ReviewReply>;
  applyLabel(relPaths: string[], label: string): Promise<void>;
  pickLabel(relPaths: string[]): Promise<void>;
  markSkipped(relPaths: string[], skipped: boolean): Promise<void>;
  selectRoot(root: string): Promise<void>;
  /** Absolute path, already checked to be inside the root. */
  openFile(absPath: string): Promise<void>;
  refresh(): Promise<void>;
  undoLabel(): Promise<void>;
  /** Labels every member of a group of a grouped view, after asking for the class and confirming. */
  labelGroup(view: string, groupId: string): Promise<void>;
  createClassFromGroup(view: string, groupId: string): Promise<void>;
  /** Exports a view's images (or only relPaths, already checked) as Export Selection does. */
  exportView(view: string, relPaths: string[] | undefined): Promise<void>;
  cancelOperation(): void;
  /** Accept Sure Suggestions on the current root. */
  acceptSuggestions(): Promise<void>;
  /** Keeps a copy of the webview's saved state (its fields already checked; the root is checked when it is used). */
  rememberState(state: ReviewPanelState): void;
  reply(requestId: number, reply: ReviewReply): void;
  reportError(message: string): void;
}

export type WarnLog = (message: string) => void;

export class ReviewMessageHandler {
  constructor(
    private readonly actions: ReviewActions,
    private readonly warn: WarnLog,
  ) {}

  async handle(raw: unknown): Promise<void> {
    const message = parseReviewMessage(raw);
    if (!message) {
      this.warn(`Review panel sent a malformed message; ignored: ${preview(raw)}`);
      return;
    }
    try {
      switch (message.type) {
        case 'ready':
          return await this.actions.ready(message.root !== undefined && this.isKnownRoot(message.root) ? message.root : undefined);
        case 'selectRoot':
          if (!this.isKnownRoot(message.root)) return this.refuse(`a root that is not a dataset root of this workspace: ${message.root}`);
          return await this.actions.selectRoot(message.root);
        case 'refresh':
          return await this.actions.refresh();
        case 'undoLabel':
          return await this.actions.undoLabel();
        case 'labelGroup':
          return await this.actions.labelGroup(message.view, message.groupId);
        case 'createClassFromGroup':
          return await this.actions.createClassFromGroup(message.view, message.groupId);
        case 'exportView': {
          if (message.relPaths === undefined) return await this.actions.exportView(message.view, undefined);
          const paths = await this.checkedPaths(message.relPaths);
          if (paths) await this.actions.exportView(message.view, paths.map((p) => p.relPath));
          return;
        }
        case 'cancelOperation':
          return this.actions.cancelOperation();
        case 'acceptSuggestions':
          return await this.actions.acceptSuggestions();
        case 'stateChanged':
          return this.actions.rememberState(message.state);
        case 'request':
          return await this.answer(message.requestId, message.request);
        case 'applyLabel': {
          const paths = await this.checkedPaths(message.relPaths);
          if (paths) await this.actions.applyLabel(paths.map((p) => p.relPath), message.label);
          return;
        }
        case 'pickLabel': {
          const paths = await this.checkedPaths(message.relPaths);
          if (paths) await this.actions.pickLabel(paths.map((p) => p.relPath));
          return;
        }
        case 'markSkipped': {
          const paths = await this.checkedPaths(message.relPaths);
          if (paths) await this.actions.markSkipped(paths.map((p) => p.relPath), message.skipped);
          return;
        }
        case 'openFile': {
          const paths = await this.checkedPaths([message.relPath]);
          if (paths) await this.actions.openFile(paths[0].absPath);
          return;
        }
      }
    } catch (error) {
      this.actions.reportError(error instanceof Error ? error.message : String(error));
    }
  }

  private async answer(requestId: number, request: ReviewRequest): Promise<void> {
    let reply: ReviewReply;
    try {
      switch (request.kind) {
        case 'page':
          reply = await this.actions.page(request.view, request.offset, request.count);
          break;
        case 'details': {
          const paths = await this.checkedPaths([request.relPath]);
          reply = paths ? await this.actions.details(paths[0].relPath, request.view) : { kind: 'error', message: 'That path is not inside the dataset.' };
          break;
        }
        case 'projection':
          reply = await this.actions.projection();
          break;
      }
    } catch (error) {
      reply = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    this.actions.reply(requestId, reply);
  }

  /** Every path resolved inside the current root, or undefined (and a log line) if any is not. */
  private async checkedPaths(relPaths: string[]): Promise<{ relPath: string; absPath: string }[] | undefined> {
    const root = this.actions.currentRoot();
    if (!root) {
      this.refuse('paths before a dataset root was opened');
      return undefined;
    }
    const checked: { relPath: string; absPath: string }[] = [];
    for (const relPath of relPaths) {
      const absPath = await resolveInsideRoot(root, relPath);
      if (!absPath) {
        this.refuse(`a path outside the dataset root ${root}: ${relPath.slice(0, 300)}`);
        return undefined;
      }
      checked.push({ relPath, absPath });
    }
    return checked;
  }

  private isKnownRoot(root: string): boolean {
    return this.actions.knownRoots().includes(root);
  }

  private refuse(what: string): void {
    this.warn(`Review panel asked for ${what}; refused.`);
  }
}

function preview(raw: unknown): string {
  try {
    return String(JSON.stringify(raw)).slice(0, 200);
  } catch {
    return typeof raw;
  }
}
