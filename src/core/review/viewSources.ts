// The views the review panel can switch between. Each view is a source of entries in display order;
// a new kind of view plugs in by adding a ReviewViewSource to REVIEW_VIEW_SOURCES, without touching
// the panel, the protocol or the paging. The views built on the suggestion jobs' results (soft
// labels, label issues, clusters, duplicates) are in suggestionViews.ts, the image problems' in
// imageProblemsView.ts; what a view is, in reviewView.ts.

import type { ReviewViewSource, ViewEntry } from './reviewView';
import { clustersView, duplicatesView, labelIssuesView, newClassesView, suggestionsView } from './suggestionViews';
import { imageProblemsView } from './imageProblemsView';

export const latestSelectionView: ReviewViewSource = {
  id: 'selection',
  title: 'Latest selection',
  description: 'What the latest selection run ranked for labelling, best first, with the reasons behind each score.',
  entries(index) {
    const entries: ViewEntry[] = [];
    for (const item of index.selection?.items ?? []) {
      const relPath = index.currentPathOf(item.path);
      // A selected file that was deleted since has nothing left to review.
      if (relPath === undefined) continue;
      entries.push({ relPath, rank: item.rank, score: item.score, reasons: item.reasons, duplicates: item.duplicates.length > 0 ? item.duplicates : undefined });
    }
    return entries;
  },
};

export const unlabelledView: ReviewViewSource = {
  id: 'unlabelled',
  title: 'Unlabelled',
  description: 'Every unlabelled image, by path. An image leaves this view once it has a label.',
  entries: (index) => index.images.filter((image) => image.label === null).map((image) => ({ relPath: image.relPath })),
};

export const labelledView: ReviewViewSource = {
  id: 'labelled',
  title: 'Labelled',
  description: 'Every labelled image, grouped by class, then by path.',
  entries: (index) =>
    index.images
      .filter((image) => image.label !== null)
      .sort((a, b) => compare(a.label!, b.label!) || compare(a.relPath, b.relPath))
      .map((image) => ({ relPath: image.relPath })),
};

/** Problems about image files (not manifest rows): files that were left out or deserve a look. */
const IMAGE_PROBLEMS = new Set(['empty-file', 'not-an-image', 'unreadable', 'format-mismatch']);

export const problemsView: ReviewViewSource = {
  id: 'problems',
  title: 'Problems',
  description: 'Image files the scan could not use or warned about (empty, not an image, unreadable, wrong extension).',
  entries: (index) =>
    index.problems.filter((problem) => IMAGE_PROBLEMS.has(problem.kind)).map((problem) => ({ relPath: problem.relPath, problem: problem.message })),
};

/** Offered in this order; the first one with items opens by default. */
export const REVIEW_VIEW_SOURCES: readonly ReviewViewSource[] = [
  latestSelectionView,
  suggestionsView,
  newClassesView,
  labelIssuesView,
  clustersView,
  duplicatesView,
  imageProblemsView,
  unlabelledView,
  labelledView,
  problemsView,
];

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
