// Turns a method's soft labels into what users and the review panel read: per image its given
// label, its top suggestions with probabilities, whether it is flagged, and the numbers behind the flag.
import { topIndices } from '../math/probabilities';
import type { EmbeddedItem } from './embeddedPool';
import type { SoftLabels } from './types';

export interface SuggestedLabel {
  label: string;
  p: number;
}

export interface SuggestionItem {
  /** Relative to the dataset root, forward slashes. */
  path: string;
  /** The given label, or null when unlabelled. */
  label: string | null;
  /** Most likely first. */
  suggestions: SuggestedLabel[];
  /** The given label looks wrong (never true for unlabelled images). */
  issue: boolean;
  /** Labelled images: out-of-sample probability of the given label, and the most likely class with its probability. */
  pGiven?: number;
  predicted?: string;
  pPredicted?: number;
}

export const DEFAULT_SUGGESTION_COUNT = 3;

export function suggestionItems(items: readonly EmbeddedItem[], result: SoftLabels, count = DEFAULT_SUGGESTION_COUNT): SuggestionItem[] {
  const classes = result.classNames.length;
  return items.map((item, row) => {
    const p = result.probabilities.subarray(row * classes, (row + 1) * classes);
    const suggestions = topIndices(p, count).map((c) => ({ label: result.classNames[c], p: round(p[c]) }));
    const evidence = result.evidence[row];
    return {
      path: item.path,
      label: item.label,
      suggestions,
      issue: result.issues[row],
      ...(evidence ? { pGiven: round(evidence.pGiven), predicted: result.classNames[evidence.predicted], pPredicted: round(evidence.pPredicted) } : {}),
    };
  });
}

/** Flagged images, most likely wrong first: the widest gap between the predicted class and the given label. */
export function rankedIssues(items: readonly SuggestionItem[]): SuggestionItem[] {
  return items.filter((item) => item.issue).sort((a, b) => (b.pPredicted ?? 0) - (b.pGiven ?? 0) - ((a.pPredicted ?? 0) - (a.pGiven ?? 0)) || (a.path < b.path ? -1 : 1));
}

/** Six significant digits are plenty for a probability shown to a person, and keep result files small. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
