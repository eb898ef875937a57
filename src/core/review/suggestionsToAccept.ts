// Accept sure suggestions, up to the write: which unlabelled images of a root the newest saved
// suggestions would label at a threshold, and how many per class, per candidate threshold, below
// it and marked "new class?". Curator: Accept Sure Suggestions, the review panel's Accept sure and
// `curator label --accept-suggestions` all ask this, then write the changes their own way (the
// editor's label service, the command line's journalled run).
import type { LabelChange, RefusedLabelChange } from '../labels';
import { keepUnlabelled } from '../labels/keepUnlabelled';
import { acceptSuggestions, countByClass, DEFAULT_ACCEPT_PROBABILITY, fewSureHint, requireCalibrated, type AcceptedSuggestions } from '../suggest/acceptSuggestions';
import { loadLatestResults } from './resultFiles';

/** The thresholds offered to pick from, surest first; the default among them. */
export const ACCEPT_THRESHOLDS: readonly number[] = [0.99, 0.95, DEFAULT_ACCEPT_PROBABILITY, 0.8, 0.7, 0.5];

export interface SuggestionsToAcceptParams {
  root: string;
  /** The root's cache folder, where the suggestions are saved. */
  cacheDir: string;
  unlabeledFolderName: string;
}

export interface ChangesToAccept extends AcceptedSuggestions {
  /** The threshold the changes meet. */
  minProbability: number;
  /** The changes at this threshold for images labelled, moved or deleted since the suggestions were made: they are not in `changes`. */
  leftOut: RefusedLabelChange[];
}

export interface SuggestionsToAccept {
  /** The method that made the suggestions, and their file under <cacheDir>/suggestions/. */
  method: string;
  file: string;
  /**
   * Images the suggestions may label at some threshold: unlabelled when the suggestions were made
   * and still now, still at their path, not marked "new class?".
   */
  candidates: number;
  /** Images left alone at every threshold because they are marked "new class?". */
  unknownClass: number;
  /** Suggestions for images labelled, moved or deleted since, at any threshold: left out of every count. */
  leftOut: RefusedLabelChange[];
  /** Why few suggestions are sure, when the run found many images unlike every labelled class; empty otherwise. */
  fewSureHint: string;
  /** The changes to accept at a threshold in (0, 1], surest first. */
  at(minProbability: number): ChangesToAccept;
  /** The changes at each of `thresholds` (ACCEPT_THRESHOLDS unless given), in their order. */
  atEach(thresholds?: readonly number[]): ChangesToAccept[];
}

/**
 * The newest saved suggestions of the root, ready to accept; undefined when there are none yet.
 * Throws UncalibratedSuggestionsError for suggestions written before they were calibrated.
 */
export async function suggestionsToAccept(params: SuggestionsToAcceptParams): Promise<SuggestionsToAccept | undefined> {
  const { suggestions } = await loadLatestResults(params.cacheDir);
  if (!suggestions) return undefined;
  requireCalibrated(suggestions);
  const all = acceptSuggestions(suggestions, 0);
  // Suggestions were made for images unlabelled then; one labelled, moved or deleted since keeps its label and is not counted.
  const unlabelled = await keepUnlabelled(params.root, params.unlabeledFolderName, all.changes);
  const current = new Set(unlabelled.kept.map((change) => change.relPath));
  const isCurrent = (change: LabelChange): boolean => current.has(change.relPath);
  const at = (minProbability: number): ChangesToAccept => {
    if (!(minProbability > 0 && minProbability <= 1)) throw new Error(`The threshold must be in (0, 1] (got ${minProbability}).`);
    const accepted = acceptSuggestions(suggestions, minProbability);
    const taken = new Set(accepted.changes.map((change) => change.relPath));
    const changes = accepted.changes.filter(isCurrent);
    return {
      ...accepted,
      changes,
      byClass: countByClass(changes),
      minProbability,
      leftOut: unlabelled.refused.filter((refusal) => taken.has(refusal.change.relPath)),
    };
  };
  return {
    method: suggestions.method,
    file: suggestions.file,
    candidates: current.size,
    unknownClass: all.unknownClass,
    leftOut: unlabelled.refused,
    fewSureHint: fewSureHint(suggestions),
    at,
    atEach: (thresholds = ACCEPT_THRESHOLDS) => thresholds.map(at),
  };
}
