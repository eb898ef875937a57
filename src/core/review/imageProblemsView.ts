// The review view on the latest Find Image Problems run: images that look wrong beside the rest of
// their root, by kind (in FINDING_KINDS order), worst first. An image with several kinds is shown
// once, under its first kind, with every kind on its card's badge and each kind's score in its
// reasons. Deleted or moved files leave the view; relabelling does not settle an image problem.
import { FINDING_KINDS } from '../quality/imageFindings';
import type { ReviewViewSource, ViewEntry } from './reviewView';
import type { ReasonValue } from './types';

export const imageProblemsView: ReviewViewSource = {
  id: 'image-problems',
  title: 'Image problems',
  description:
    'Images that look wrong beside the rest of the dataset (latest Find Image Problems run): dark, bright, blurry, low-information, grayscale, odd aspect ratio, odd size; by kind, worst first.',
  entries(index) {
    const byPath = new Map<string, { first: number; score: number; kinds: string[]; reasons: Record<string, ReasonValue> }>();
    for (const finding of index.results.imageProblems?.findings ?? []) {
      if (!index.byPath.has(finding.path)) continue;
      const rank = FINDING_KINDS.indexOf(finding.kind);
      const seen = byPath.get(finding.path);
      if (!seen) {
        byPath.set(finding.path, { first: rank, score: finding.score, kinds: [finding.kind], reasons: { [finding.kind]: finding.score } });
        continue;
      }
      if (rank < seen.first) {
        seen.first = rank;
        seen.score = finding.score;
      }
      seen.kinds.push(finding.kind);
      seen.reasons[finding.kind] = finding.score;
    }
    const entries = [...byPath].map(([relPath, seen]) => ({ relPath, seen }));
    entries.sort((a, b) => a.seen.first - b.seen.first || b.seen.score - a.seen.score || (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
    return entries.map(({ relPath, seen }, i): ViewEntry => {
      const kinds = [...seen.kinds].sort((a, b) => FINDING_KINDS.indexOf(a as never) - FINDING_KINDS.indexOf(b as never));
      return { relPath, rank: i + 1, score: seen.score, tag: kinds.join(', '), reasons: { kind: kinds.join(', '), ...seen.reasons } };
    });
  },
};
