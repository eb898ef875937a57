// The "Image problems" review view on a hand-made index: by kind, worst first, one card per image
// with every kind on its badge; deleted files leave it; the result file's entries are checked.
import assert from 'node:assert/strict';
import { imageProblemsView } from '../../../src/core/review/imageProblemsView';
import { NO_RESULTS, parseImageProblems } from '../../../src/core/review/resultFiles';
import { ReviewIndex, type IndexedImage } from '../../../src/core/review/reviewIndex';
import { ReviewMarks } from '../../../src/core/review/reviewMarks';

const IMAGES: IndexedImage[] = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map((relPath, i) => ({ relPath, absPath: `/data/${relPath}`, label: null, hash: String(i).padStart(64, '0') }));

async function indexWith(raw: Record<string, unknown>): Promise<ReviewIndex> {
  const marks = await ReviewMarks.load('/nonexistent/cache');
  return new ReviewIndex(IMAGES, [], null, new Map(), marks, { ...NO_RESULTS, imageProblems: parseImageProblems(raw) });
}

describe('review view: Image problems', () => {
  it('lists images by kind, worst first, each once with all its kinds on the badge and their scores as reasons', async () => {
    const index = await indexWith({
      findings: [
        { path: 'b.jpg', kind: 'dark', score: 0.4 },
        { path: 'a.jpg', kind: 'dark', score: 0.9 },
        { path: 'c.jpg', kind: 'blurry', score: 0.7 },
        { path: 'a.jpg', kind: 'low-information', score: 0.2 },
        { path: 'gone.jpg', kind: 'grayscale', score: 1 },
      ],
    });
    const entries = imageProblemsView.entries(index);
    assert.deepEqual(entries.map((e) => [e.relPath, e.tag, e.score, e.rank]), [
      ['a.jpg', 'dark, low-information', 0.9, 1],
      ['b.jpg', 'dark', 0.4, 2],
      ['c.jpg', 'blurry', 0.7, 3],
    ]);
    assert.deepEqual(entries[0].reasons, { kind: 'dark, low-information', dark: 0.9, 'low-information': 0.2 });
  });

  it('is empty before any run, and skips malformed entries of the result file', async () => {
    assert.deepEqual(imageProblemsView.entries(await indexWith({})), []);
    const parsed = parseImageProblems({ findings: [{ path: 'a.jpg', kind: 'smudged', score: 0.5 }, { path: 'b.jpg', kind: 'dark', score: 7 }, { path: '', kind: 'dark', score: 0.1 }, 'x', { path: 'c.jpg', kind: 'odd-size', score: 0.3 }] });
    assert.deepEqual(parsed, { findings: [{ path: 'c.jpg', kind: 'odd-size', score: 0.3 }] });
    assert.equal(parseImageProblems({ nothing: true }), null);
  });
});
