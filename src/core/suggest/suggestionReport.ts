// Turns a method's soft labels into what users and the review panel read: per image its given
// label, its top suggestions with probabilities, whether it is flagged, and the numbers behind the flag.
import { topIndices } from '../math/probabilities';
import type { EmbeddedItem } from '../pool/rootPool';
import type { TrustedSoftLabels } from './trust/trustedSuggestions';
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
  /**
   * Unlabelled images, after the trust step. unknownScore: how unlike the labelled classes the
   * image is (0-1: the share of held-out labelled images more like their class than this one is
   * like any). pNewClass: the probability that it belongs to a class without labels yet.
   * unknownClass: that is its single most likely answer ("new class?"). Every `p` in suggestions
   * is then calibrated and includes that risk: they sum to at most 1 - pNewClass.
   */
  unknownScore?: number;
  pNewClass?: number;
  unknownClass?: boolean;
  /** "new class?" images: the group of look-alikes it belongs to (1 = largest), a candidate for a new class folder. */
  newClassGroup?: number;
}

export const DEFAULT_SUGGESTION_COUNT = 3;

export function suggestionItems(items: readonly EmbeddedItem[], result: SoftLabels | TrustedSoftLabels, count = DEFAULT_SUGGESTION_COUNT): SuggestionItem[] {
  const classes = result.classNames.length;
  const trusted = 'calibrated' in result ? result : undefined;
  return items.map((item, row) => {
    const p = result.probabilities.subarray(row * classes, (row + 1) * classes);
    const candidates = topIndices(p, count);
    const evidence = result.evidence[row];
    const base = {
      path: item.path,
      label: item.label,
      issue: result.issues[row],
      ...(evidence ? { pGiven: round(evidence.pGiven), predicted: result.classNames[evidence.predicted], pPredicted: round(evidence.pPredicted) } : {}),
    };
    if (!trusted || item.label !== null) return { ...base, suggestions: candidates.map((c) => ({ label: result.classNames[c], p: round(p[c]) })) };
    // The method's candidates, each with its calibrated probability, most probable first.
    const calibrated = trusted.calibrated.subarray(row * classes, (row + 1) * classes);
    const suggestions = candidates.map((c) => ({ label: result.classNames[c], p: round(calibrated[c]) })).sort((a, b) => b.p - a.p);
    return { ...base, suggestions, unknownScore: round(trusted.unknownScore[row]), pNewClass: round(trusted.newClassProbability[row]), unknownClass: trusted.unknownClass[row], ...(trusted.newClassGroup[row] > 0 ? { newClassGroup: trusted.newClassGroup[row] } : {}) };
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
