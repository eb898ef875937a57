// What a review view is: a source of entries in display order, computed from the review index.
// Both viewSources.ts (the list of views) and suggestionViews.ts (the views on the suggestion
// jobs' results) build on these, so they are in a file of their own.

import type { ReviewIndex } from './reviewIndex';
import type { ReasonValue, ReviewGroupRef, ReviewSuggestion } from './types';

export interface ViewEntry {
  relPath: string;
  rank?: number;
  score?: number;
  reasons?: Record<string, ReasonValue>;
  duplicates?: string[];
  /** A few words shown as a badge on the card (the image problems' kinds). */
  tag?: string;
  /** Shown instead of a thumbnail when the file is not a usable image. */
  problem?: string;
  /** Suggestions this view offers for the image (otherwise the latest soft labels of an unlabelled image). */
  suggestions?: ReviewSuggestion[];
  /** Grouped views: the group the image belongs to, labelled as a whole with one action. */
  group?: ReviewGroupRef;
}

export interface ReviewViewSource {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Entries in display order, computed from the current index. Empty views are still listed. */
  entries(index: ReviewIndex): ViewEntry[];
}
