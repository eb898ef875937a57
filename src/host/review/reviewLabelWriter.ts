// What the review panel needs from the label service: apply label changes to a root and say what
// happened. Structural, so the panel depends on the contract rather than on the service's module.

export interface ReviewLabelChange {
  relPath: string;
  /** The new class, or null to make the image unlabelled. */
  label: string | null;
}

export interface ReviewLabelOutcome {
  applied: { oldRelPath: string; newRelPath: string; oldLabel: string | null }[];
  refused: { reason: string }[];
}

export interface ReviewUndoOutcome extends ReviewLabelOutcome {
  /** The run that was undone: made in the editor or by `curator label`, and when. */
  run: { origin: 'editor' | 'cli'; createdAt: string };
  /** Changes of that run that were back as before already (the workbench's Undo, say): nothing to do. */
  notApplied: number;
}

export interface ReviewLabelWriter {
  applyLabels(root: string, changes: ReviewLabelChange[]): Promise<ReviewLabelOutcome>;
  /**
   * Undoes the newest label change recorded in `root`'s label journal, whoever made it (this panel, a
   * command, another window, `curator label`); undefined when there is none. Throws, having changed
   * nothing, when it cannot be undone.
   */
  undoLastChange(root: string): Promise<ReviewUndoOutcome | undefined>;
}
