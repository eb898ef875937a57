// Turns saved soft-label suggestions into label changes for "Accept sure" (`curator label
// --accept-suggestions`, Curator: Accept Sure Suggestions, the review panel's button): each image
// that was unlabelled when the suggestions were made, whose first suggestion is at least
// `minProbability`, gets that label. The probability is the calibrated one (the share of such
// suggestions that are right, the chance of a class without labels included), and an image marked
// "new class?" (unknownClass) is never taken, however high its first suggestion. Labelled images
// are never relabelled here (their doubtful labels are the label-issues list, for a person).
import type { LabelChange } from '../labels';

/**
 * What accepting reads of a saved suggestions file; review/resultFiles' LoadedSuggestions is one.
 * Named here so the method does not depend on the reader above it.
 */
export interface SavedSuggestions {
  /** File name under <cacheDir>/suggestions/. */
  file: string;
  method: string;
  /** The probabilities are calibrated on the labelled images and include the chance of a class without labels. */
  calibrated?: boolean;
  /** The run's estimate of the share of unlabelled images in classes without labels (calibrated files). */
  newClassShare?: number;
  byPath: ReadonlyMap<string, { label: string | null; suggestions: ReadonlyArray<{ label: string; p: number }>; unknownClass?: boolean }>;
}

/**
 * The default threshold. With every class of cifar10-dev labelled (20 photographs each) and the
 * reference encoder, 95% of the labels accepted at it were right; with half the classes
 * unlabelled, 95% too, and it took 0.04% of the images of classes without labels
 * (bench/results/trust.md).
 */
export const DEFAULT_ACCEPT_PROBABILITY = 0.9;

export interface AcceptedSuggestions {
  changes: LabelChange[];
  /** Unlabelled images whose first suggestion was below the threshold. */
  belowThreshold: number;
  /** Unlabelled images left alone because they are marked "new class?". */
  unknownClass: number;
  /** How many images each class would get, most first. */
  byClass: Array<{ label: string; count: number }>;
}

/** Thrown for suggestions whose probabilities are not calibrated (files written by older versions). */
export class UncalibratedSuggestionsError extends Error {
  override name = 'UncalibratedSuggestionsError';
}

export function requireCalibrated(suggestions: SavedSuggestions): void {
  if (suggestions.calibrated) return;
  throw new UncalibratedSuggestionsError(
    `The saved ${suggestions.method} suggestions (${suggestions.file}) were made before suggestions were calibrated: their probabilities overstate how sure they are ` +
      'and they do not mark images of classes without labels. Run Suggest Labels (curator suggest) again, then accept.',
  );
}

/**
 * Why nothing, or little, is sure, when the run found many images unlike every labelled class;
 * empty otherwise. Accept sure taking nothing is then the honest answer, and this says what helps.
 */
export function fewSureHint(suggestions: SavedSuggestions): string {
  const share = suggestions.newClassShare;
  if (share === undefined || share < 0.2) return '';
  return (
    `About ${Math.round(share * 100)}% of the unlabelled images look like none of the labelled classes, so few suggestions are sure. ` +
    'Label a few images of every class you see (a "new class?" group can become a class folder from the review panel), then suggest again.'
  );
}

export function acceptSuggestions(suggestions: SavedSuggestions, minProbability: number): AcceptedSuggestions {
  const accepted: Array<LabelChange & { p: number }> = [];
  let belowThreshold = 0;
  let unknownClass = 0;
  for (const [relPath, soft] of suggestions.byPath) {
    if (soft.label !== null) continue;
    const top = soft.suggestions[0];
    if (!top) continue;
    if (soft.unknownClass) unknownClass++;
    else if (top.p >= minProbability) accepted.push({ relPath, label: top.label, p: top.p });
    else belowThreshold++;
  }
  // Most confident first, so a run stopped early has applied the surest labels.
  accepted.sort((a, b) => b.p - a.p || (a.relPath < b.relPath ? -1 : 1));
  const changes = accepted.map(({ relPath, label }) => ({ relPath, label }));
  return { changes, belowThreshold, unknownClass, byClass: countByClass(changes) };
}

export function countByClass(changes: readonly LabelChange[]): Array<{ label: string; count: number }> {
  const counts = new Map<string, number>();
  for (const change of changes) if (change.label !== null) counts.set(change.label, (counts.get(change.label) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}

/** "cat: 12, dog: 3" (at most `limit` classes, then "and N more classes"). */
export function describeByClass(byClass: ReadonlyArray<{ label: string; count: number }>, limit = 12): string {
  const shown = byClass.slice(0, limit).map(({ label, count }) => `${label}: ${count}`);
  if (byClass.length > limit) shown.push(`and ${byClass.length - limit} more classes`);
  return shown.join(', ');
}
