// What a label change asks for and what became of it. Plain data, so results can cross the
// extension host / webview boundary and be logged as JSON.

export interface LabelChange {
  /** Image path relative to the dataset root, forward or back slashes. */
  relPath: string;
  /** The new class, or null to make the image unlabelled. */
  label: string | null;
}

export interface AppliedLabelChange {
  oldRelPath: string;
  /** Differs from oldRelPath only in folder datasets, where labelling moves the file. */
  newRelPath: string;
  oldLabel: string | null;
  newLabel: string | null;
}

export interface RefusedLabelChange {
  change: LabelChange;
  /** A sentence meant for the user: what was refused and why. */
  reason: string;
}

export interface LabelApplyResult {
  /** How the root stores labels. */
  mode: LabelMode;
  applied: AppliedLabelChange[];
  /** Changes that asked for the label the image already has: nothing to do. */
  unchanged: LabelChange[];
  refused: RefusedLabelChange[];
}

export type LabelMode = 'folder' | 'manifest';
