// The review panel's state (root, view, focused image, map), kept by the host as well as by the
// workbench. The workbench stores a webview's setState copy when the window closes properly; an
// abrupt page reload (a browser-hosted VS Code reloaded with F5, a crashed tab) can lose that copy,
// and the panel then came back at its defaults. The webview also sends each state to the host,
// which writes it, a moment later, to a small file in the extension's storage. No vscode import:
// unit-tested in plain Node.

import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../core/util/atomicWrite';
import { parseReviewPanelState, type ReviewPanelState } from '../../shared/protocol/review';

/** Focus moves with every arrow key: write at most this often. */
const WRITE_DELAY_MS = 200;

export class PanelStateBackup {
  private pending: ReviewPanelState | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The JSON file holding the latest state. */
    readonly file: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Keeps `state`, written shortly after (the last of a burst wins). */
  remember(state: ReviewPanelState): void {
    this.pending = state;
    this.timer ??= setTimeout(() => void this.flush(), WRITE_DELAY_MS);
  }

  /** Writes what is pending now; resolves when every write so far has finished. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.pending;
    this.pending = undefined;
    if (state) {
      // One write at a time, in order, so an older state never lands after a newer one.
      this.writing = this.writing.then(async () => {
        try {
          await mkdir(dirname(this.file), { recursive: true });
          await writeFileAtomic(this.file, JSON.stringify(state) + '\n');
        } catch (error) {
          this.warn(`Could not keep the review panel's state in ${this.file}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    }
    return this.writing;
  }

  /** The last state written, field by field checked; {} when there is none or it is unreadable. */
  async load(): Promise<ReviewPanelState> {
    try {
      return parseReviewPanelState(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      return {};
    }
  }
}

/**
 * The host's copy when it is newer than the workbench's (or the workbench kept none), otherwise
 * undefined: the webview already has the right state from the workbench.
 */
export function newerThanWorkbench(fromWorkbench: ReviewPanelState, backup: ReviewPanelState): ReviewPanelState | undefined {
  if (backup.savedAt === undefined) return undefined;
  if (fromWorkbench.savedAt !== undefined && fromWorkbench.savedAt >= backup.savedAt) return undefined;
  return backup;
}
