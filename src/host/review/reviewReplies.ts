// Answers to the webview's requests: a page of a view, one image's details with its neighbours, and
// the embedding map, read from the engine and turned into the webview's types (cached thumbnail and
// preview paths become webview URIs).

import type { ReviewItem } from '../../core/review/types';
import type { ReviewHostMessage, ReviewItemView, ReviewReply } from '../../shared/protocol/review';
import type { CommandContext } from '../commandContext';
import type { PanelMilestones } from './panelMilestones';

const NEIGHBOURS = 8;

/** A cached file as a URI the webview may load, or null for none. */
export type WebviewUriOf = (path: string | null) => string | null;

export class ReviewReplies {
  constructor(
    private readonly context: CommandContext,
    private readonly uriOf: WebviewUriOf,
    private readonly post: (message: ReviewHostMessage) => void,
    private readonly milestones: PanelMilestones,
  ) {}

  async page(root: string, view: string, offset: number, count: number): Promise<ReviewReply> {
    const page = await this.context.engine.call('reviewPage', { root, view, offset, count });
    this.milestones.once('page', `first page (${page.items.length} of ${view}) answered`);
    return { kind: 'page', view: page.view, generation: page.generation, total: page.total, offset: page.offset, items: page.items.map((item) => this.itemView(item)) };
  }

  async details(root: string, relPath: string, view: string | undefined): Promise<ReviewReply> {
    const details = await this.context.engine.call('reviewDetails', { root, relPath, neighbours: NEIGHBOURS, ...(view ? { view } : {}) });
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

  async projection(root: string): Promise<ReviewReply> {
    this.post({ type: 'busy', message: 'Computing the embedding map…' });
    try {
      const projection = await this.context.engine.call('reviewProjection', { root });
      const { generation, relPaths, xs, ys, kinds, explained } = projection;
      return { kind: 'projection', projection: { generation, relPaths, xs, ys, kinds, explained } };
    } finally {
      this.post({ type: 'busy', message: null });
    }
  }

  private itemView(item: ReviewItem): ReviewItemView {
    const { relPath, label, classes, skipped, problem, tag, rank, score, reasons, duplicates, suggestions, group, unknownClass, pNewClass } = item;
    return {
      relPath,
      label,
      ...(classes !== undefined ? { classes } : {}),
      skipped,
      thumbUri: this.uriOf(item.thumbPath),
      ...(problem !== undefined ? { problem } : {}),
      ...(tag !== undefined ? { tag } : {}),
      ...(rank !== undefined ? { rank } : {}),
      ...(score !== undefined ? { score } : {}),
      ...(reasons !== undefined ? { reasons } : {}),
      ...(duplicates !== undefined ? { duplicates } : {}),
      ...(suggestions !== undefined ? { suggestions } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(unknownClass ? { unknownClass, ...(pNewClass !== undefined ? { pNewClass } : {}) } : {}),
    };
  }
}
