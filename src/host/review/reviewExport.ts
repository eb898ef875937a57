// The panel's Export button: a view's images (or the chosen ones) exported as Export Selection
// does, with the same prompts, and its progress and Cancel shown in the panel as well. One export
// runs at a time.

import { isAbortError } from '../../core/util/abort';
import type { ReviewHostMessage } from '../../shared/protocol/review';
import type { CommandContext } from '../commandContext';
import { exportImages } from '../commands/exportSelection';
import { requireTrust } from '../trust';
import type { ReviewSession } from './reviewSession';

export class ReviewExport {
  /** Cancels the running export, from the panel's Cancel button. */
  private operation: AbortController | undefined;

  constructor(
    private readonly context: CommandContext,
    private readonly session: ReviewSession,
    private readonly post: (message: ReviewHostMessage) => void,
  ) {}

  async exportView(view: string, relPaths: string[] | undefined): Promise<void> {
    const root = this.session.requireRoot();
    if (!requireTrust('Exporting images')) return;
    if (this.operation) {
      this.post({ type: 'notice', message: 'An export is already running; cancel it first.' });
      return;
    }
    const { items } = await this.context.engine.call('reviewExportItems', { root, view, ...(relPaths ? { relPaths } : {}) });
    const title = this.session.viewTitle(view);
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

  cancel(): void {
    this.operation?.abort();
  }
}
