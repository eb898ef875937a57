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

export interface ReviewLabelWriter {
  applyLabels(root: string, changes: ReviewLabelChange[]): Promise<ReviewLabelOutcome>;
  /** Puts back the last label change made in this window on `root`, whoever made it; undefined when there is none. */
  undoLastChange(root: string): Promise<ReviewLabelOutcome | undefined>;
}
