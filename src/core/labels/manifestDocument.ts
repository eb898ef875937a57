// An editable view of a labels manifest: look up the label of a path and set it, then get the text
// back with everything the writer does not own left as it was.

export interface ManifestDocument {
  readonly kind: 'csv' | 'jsonl';
  /** Set when the file cannot take labels (for example a CSV header without a label column). */
  readonly unusableReason: string | undefined;
  /**
   * The row for a normalised path: its label (null = explicitly unlabelled), or undefined when the
   * manifest does not list the path. The first row for a path wins, as when the dataset is scanned.
   */
  labelOf(relPath: string): string | null | undefined;
  /** Every listed path and its label, in file order. */
  entries(): Array<[relPath: string, label: string | null]>;
  /** Changes the path's row, or appends one when the path is not listed yet. */
  setLabel(relPath: string, label: string | null): void;
  toText(): string;
}

/** Row keys are NFC, like the scanner's, so a path typed on one OS matches one stored as NFD on another. */
export function rowKey(relPath: string): string {
  return relPath.normalize('NFC');
}

/** The label as the scanner reads it: trimmed, and empty means unlabelled. */
export function readLabel(raw: string): string | null {
  const trimmed = raw.trim();
  return trimmed === '' ? null : trimmed;
}
