// Turns saved soft-label suggestions into label changes for `curator label --accept-suggestions`:
// each image that was unlabelled when the suggestions were made, whose top suggestion is at least
// `minProbability`, gets that label. Labelled images are never relabelled here (their doubtful
// labels are the label-issues list, for a person to review).
import type { LoadedSuggestions } from '../review/resultFiles';
import type { LabelChange } from '../labels';

/** The default threshold: on the demo's digits, about 9 in 10 labels accepted at it are right (README). */
export const DEFAULT_ACCEPT_PROBABILITY = 0.9;

export interface AcceptedSuggestions {
  changes: LabelChange[];
  /** Unlabelled images whose top suggestion was below the threshold. */
  belowThreshold: number;
}

export function acceptSuggestions(suggestions: LoadedSuggestions, minProbability: number): AcceptedSuggestions {
  const accepted: Array<LabelChange & { p: number }> = [];
  let belowThreshold = 0;
  for (const [relPath, soft] of suggestions.byPath) {
    if (soft.label !== null) continue;
    const top = soft.suggestions[0];
    if (!top) continue;
    if (top.p >= minProbability) accepted.push({ relPath, label: top.label, p: top.p });
    else belowThreshold++;
  }
  // Most confident first, so a run stopped early has applied the surest labels.
  accepted.sort((a, b) => b.p - a.p || (a.relPath < b.relPath ? -1 : 1));
  return { changes: accepted.map(({ relPath, label }) => ({ relPath, label })), belowThreshold };
}
