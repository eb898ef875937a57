// The review views built on the suggestion jobs' results, on small hand-made indexes: order, what
// leaves a view once it is settled (labelled, relabelled, moved), chips and reasons.

import assert from 'node:assert/strict';
import { ReviewIndex, type IndexedImage } from '../../../src/core/review/reviewIndex';
import { ReviewMarks } from '../../../src/core/review/reviewMarks';
import { NO_RESULTS, type LoadedResults } from '../../../src/core/review/resultFiles';
import { clustersView, duplicatesView, labelIssuesView, newClassesView, suggestionsView } from '../../../src/core/review/suggestionViews';
import { REVIEW_VIEW_SOURCES } from '../../../src/core/review/viewSources';

const IMAGES: IndexedImage[] = [
  { relPath: 'cat/c1.png', label: 'cat' },
  { relPath: 'cat/c2.png', label: 'cat' },
  { relPath: 'dog/d1.png', label: 'dog' },
  { relPath: 'unlabeled/u1.png', label: null },
  { relPath: 'unlabeled/u2.png', label: null },
  { relPath: 'unlabeled/u3.png', label: null },
  { relPath: 'unlabeled/u4.png', label: null },
].map((image, i) => ({ ...image, absPath: `/data/${image.relPath}`, hash: String(i).padStart(64, '0') }));

async function indexWith(results: Partial<LoadedResults>): Promise<ReviewIndex> {
  const marks = await ReviewMarks.load('/nonexistent/cache');
  return new ReviewIndex(IMAGES, [], null, new Map(), marks, { ...NO_RESULTS, ...results });
}

describe('review views on suggestion results', () => {
  it('lists every view, the new ones after the selection', () => {
    assert.deepEqual(
      REVIEW_VIEW_SOURCES.map((v) => v.id),
      ['selection', 'suggestions', 'new-classes', 'issues', 'clusters', 'duplicates', 'image-problems', 'unlabelled', 'labelled', 'problems'],
    );
  });

  it('are empty, not failing, before any job ran', async () => {
    const index = await indexWith({});
    for (const view of [suggestionsView, labelIssuesView, clustersView, duplicatesView]) assert.deepEqual(view.entries(index), [], view.id);
  });

  it('Suggestions: unlabelled images only, most confident first, with chips and the margin as a reason', async () => {
    const index = await indexWith({
      suggestions: {
        file: 'pll.json',
        method: 'pll',
        byPath: new Map([
          ['unlabeled/u1.png', { label: null, suggestions: [{ label: 'dog', p: 0.9 }, { label: 'cat', p: 0.1 }] }],
          ['unlabeled/u2.png', { label: null, suggestions: [{ label: 'cat', p: 0.6 }, { label: 'dog', p: 0.4 }] }],
          ['unlabeled/u3.png', { label: null, suggestions: [{ label: 'cat', p: 0.99 }] }],
          // Labelled when the job ran, unlabelled now: the soft label is from another situation.
          ['unlabeled/u4.png', { label: 'cat', suggestions: [{ label: 'cat', p: 0.8 }] }],
          // Labelled images get no chips: their number keys would only relabel what is settled.
          ['cat/c1.png', { label: 'cat', suggestions: [{ label: 'cat', p: 0.7 }] }],
          // Gone since.
          ['unlabeled/gone.png', { label: null, suggestions: [{ label: 'dog', p: 1 }] }],
        ]),
      },
    });
    const entries = suggestionsView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.rank, e.score]), [
      ['unlabeled/u3.png', 1, 0.99],
      ['unlabeled/u1.png', 2, 0.9],
      ['unlabeled/u2.png', 3, 0.6],
    ]);
    assert.deepEqual(entries[1].suggestions, [{ label: 'dog', p: 0.9 }, { label: 'cat', p: 0.1 }]);
    assert.equal(entries[1].reasons!.method, 'pll');
    assert.equal(entries[1].reasons!['margin to second'], 0.8);
    assert.equal(entries[0].reasons!['margin to second'], undefined, 'one suggestion has no margin');
    assert.equal(index.suggestionsFor(index.byPath.get('cat/c1.png')), undefined);
    assert.equal(index.suggestionsFor(index.byPath.get('unlabeled/u4.png')), undefined);
  });

  it('Possibly new classes: "new class?" images only, in their look-alike groups (largest first), surest first', async () => {
    const soft = (group: number | undefined, pNewClass: number, unknownClass = true) => ({
      label: null,
      suggestions: [{ label: 'cat', p: 0.3 }],
      unknownClass,
      pNewClass,
      unknownScore: 0.9,
      ...(group !== undefined ? { newClassGroup: group } : {}),
    });
    const index = await indexWith({
      suggestions: {
        file: 'pll.json',
        method: 'pll',
        calibrated: true,
        byPath: new Map([
          ['unlabeled/u1.png', soft(2, 0.6)],
          ['unlabeled/u2.png', soft(1, 0.7)],
          ['unlabeled/u3.png', soft(1, 0.8)],
          // Not marked: it stays in Suggestions only.
          ['unlabeled/u4.png', soft(undefined, 0.2, false)],
          // Labelled since the run: settled.
          ['dog/d1.png', soft(1, 0.9)],
        ]),
      },
    });
    const entries = newClassesView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.group?.id, e.group?.title, e.group?.size]), [
      ['unlabeled/u3.png', '1', 'Possibly new class 1', 2],
      ['unlabeled/u2.png', '1', 'Possibly new class 1', 2],
      ['unlabeled/u1.png', '2', 'Possibly new class 2', 1],
    ]);
    assert.equal(entries[0].reasons!['p(class without labels)'], 0.8);
    assert.equal(entries[0].reasons!['closest labelled class'], 'cat');
  });

  it('Label issues: in the job\'s order, the given label left out of the chips, settled images gone', async () => {
    const issue = (path: string, label: string, predicted: string, pGiven: number, pPredicted: number) => ({
      path,
      label,
      predicted,
      pGiven,
      pPredicted,
      suggestions: [{ label: predicted, p: pPredicted }, { label, p: pGiven }],
    });
    const index = await indexWith({
      issues: {
        method: 'pll',
        items: [
          issue('dog/d1.png', 'dog', 'cat', 0.05, 0.8),
          issue('cat/c2.png', 'dog', 'cat', 0.1, 0.7), // relabelled to cat since: settled
          issue('cat/missing.png', 'cat', 'dog', 0.1, 0.9), // moved or deleted
          issue('cat/c1.png', 'cat', 'dog', 0.2, 0.5),
        ],
      },
    });
    const entries = labelIssuesView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.rank, e.score]), [
      ['dog/d1.png', 1, 0.75],
      ['cat/c1.png', 2, 0.3],
    ]);
    assert.deepEqual(entries[0].suggestions, [{ label: 'cat', p: 0.8 }], 'accepting the given label would change nothing');
    assert.equal(entries[0].reasons!['given label'], 'dog');
    assert.equal(entries[0].reasons!['suggested class'], 'cat');
    assert.match(String(entries[0].reasons!.evidence), /not among the 2 most likely/);
  });

  it('Clusters: largest cluster first, most typical members first, labelled members gone, size and consistency shown', async () => {
    const cluster = (id: number, members: [string, number][]) => ({ id, size: members.length, consistency: 0.9, cohesion: 0.4, stability: id === 2 ? 1 : null, members: members.map(([path, membership]) => ({ path, membership })) });
    const index = await indexWith({
      clusters: {
        round: 2,
        clusters: [
          cluster(1, [['unlabeled/u1.png', 0.7]]),
          cluster(2, [['unlabeled/u2.png', 0.5], ['unlabeled/u3.png', 0.9], ['cat/c1.png', 0.95]]),
          cluster(3, [['unlabeled/gone.png', 1]]),
        ],
      },
    });
    const entries = clustersView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.group?.id, e.group?.size]), [
      ['unlabeled/u3.png', '2', 2],
      ['unlabeled/u2.png', '2', 2],
      ['unlabeled/u1.png', '1', 1],
    ]);
    assert.equal(entries[0].group!.title, 'Cluster 2');
    assert.equal(entries[0].reasons!['cluster size'], 2);
    assert.equal(entries[0].reasons!.consistency, 0.9);
    assert.equal(entries[0].reasons!.stability, 1);
    assert.equal(entries[2].reasons!.stability, undefined, 'no history, no stability');
  });

  it('Duplicates: groups with conflicting labels first, groups of one left out', async () => {
    const index = await indexWith({
      duplicates: {
        threshold: 0.01,
        groups: [
          { kind: 'exact', maxDistance: 0, paths: ['unlabeled/u1.png', 'unlabeled/u4.png'], conflictingLabels: false },
          { kind: 'near', maxDistance: 0.004, paths: ['cat/c1.png', 'dog/d1.png'], conflictingLabels: true },
          { kind: 'exact', maxDistance: 0, paths: ['unlabeled/u2.png', 'unlabeled/gone.png'], conflictingLabels: false },
        ],
      },
    });
    const entries = duplicatesView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.group?.id]), [
      ['cat/c1.png', '2'],
      ['dog/d1.png', '2'],
      ['unlabeled/u1.png', '1'],
      ['unlabeled/u4.png', '1'],
    ]);
    assert.equal(entries[0].reasons!['conflicting labels'], 'yes');
    assert.equal(entries[0].reasons!['max distance'], 0.004);
    assert.equal(entries[2].reasons!.kind, 'identical files');
  });
});
