// Findings relative to the dataset: one odd image among normal ones is found with the right kind,
// a dataset that is uniformly dark (or grey, or small) is not all flagged, and findings come by
// kind, worst first. Statistics are made up per image, as the embed job would store them.
import assert from 'node:assert/strict';
import { countByKind, FINDING_KINDS, findImageProblems, robustCentre, type StatsOfImage } from '../../../src/core/quality/imageFindings';
import type { ImageStats } from '../../../src/core/quality/imageStats';

/** n ordinary colour photos with a little spread in every statistic (deterministic). */
function ordinary(n: number, change: (stats: ImageStats, i: number) => Partial<ImageStats> = () => ({})): StatsOfImage[] {
  return Array.from({ length: n }, (_, i) => {
    const wobble = ((i * 37) % 11) / 10 - 0.5; // -0.5 .. 0.5
    const stats: ImageStats = {
      width: 640 + Math.round(wobble * 100),
      height: 480 + Math.round(wobble * 60),
      brightness: 0.45 + wobble * 0.2,
      contrast: 0.2 + wobble * 0.05,
      sharpness: 0.4 + wobble * 0.2,
      entropy: 7.2 + wobble * 0.5,
      saturation: 0.35 + wobble * 0.2,
    };
    return { path: `img_${String(i).padStart(3, '0')}.jpg`, stats: { ...stats, ...change(stats, i) } };
  });
}

const kindsOf = (images: StatsOfImage[], path: string): string[] => findImageProblems(images).findings.filter((f) => f.path === path).map((f) => f.kind);

describe('image findings', () => {
  it('a dataset of fine images yields no findings', () => {
    assert.deepEqual(findImageProblems(ordinary(200)).findings, []);
  });

  it('finds one image of each kind among ordinary ones, with that kind alone', () => {
    const cases: Array<[string, Partial<ImageStats>]> = [
      ['dark', { brightness: 0.03, entropy: 4.5 }],
      ['bright', { brightness: 0.95, entropy: 4.5 }],
      ['blurry', { sharpness: 0.005 }],
      ['low-information', { entropy: 0.3, contrast: 0.002, sharpness: 0, saturation: 0 }],
      ['grayscale', { saturation: 0 }],
      ['odd-aspect-ratio', { width: 1200, height: 200 }],
      ['odd-size', { width: 64, height: 48 }],
    ];
    for (const [kind, change] of cases) {
      const images = ordinary(100);
      images[17] = { path: 'odd.jpg', stats: { ...images[17].stats, ...change } };
      assert.deepEqual(kindsOf(images, 'odd.jpg'), [kind], kind);
      assert.equal(findImageProblems(images).findings.length, 1, `${kind}: nothing else flagged`);
    }
  });

  it('a folder of night photos is not all dark: only the one far darker than the rest', () => {
    const night = ordinary(100, (s) => ({ brightness: s.brightness / 5, entropy: s.entropy - 2 }));
    const darkOnes = findImageProblems(night).findings.filter((f) => f.kind === 'dark');
    assert.ok(darkOnes.length <= 2, `${darkOnes.length} of 100 night photos called dark`);
    night[3] = { path: 'black.jpg', stats: { ...night[3].stats, brightness: 0.004 } };
    assert.ok(findImageProblems(night).findings.some((f) => f.path === 'black.jpg' && f.kind === 'dark'));
  });

  it('an all-grey dataset (e.g. scans) flags no image as grayscale; an all-thumbnail dataset none as odd-size', () => {
    assert.deepEqual(findImageProblems(ordinary(50, () => ({ saturation: 0 }))).findings, []);
    assert.deepEqual(findImageProblems(ordinary(50, () => ({ width: 32, height: 32 }))).findings, []);
  });

  it('an upscaled thumbnail or strip is odd-size or odd-aspect-ratio, not also blurry; a flat image is low-information, not also blurry or grey', () => {
    const images = ordinary(60);
    images[0] = { path: 'thumb.jpg', stats: { ...images[0].stats, width: 40, height: 30, sharpness: 0.001 } };
    images[1] = { path: 'flat.jpg', stats: { ...images[1].stats, entropy: 0, contrast: 0, sharpness: 0, saturation: 0 } };
    images[2] = { path: 'strip.jpg', stats: { ...images[2].stats, width: 1200, height: 200, sharpness: 0.001 } };
    assert.deepEqual(kindsOf(images, 'thumb.jpg'), ['odd-size']);
    assert.deepEqual(kindsOf(images, 'strip.jpg'), ['odd-aspect-ratio'], 'its short side is upscaled more than the others\'');
    assert.deepEqual(kindsOf(images, 'flat.jpg'), ['low-information']);
  });

  it('orders by kind, then worst first, with scores from 0 to 1', () => {
    const images = ordinary(100);
    images[5] = { path: 'b.jpg', stats: { ...images[5].stats, brightness: 0.05 } };
    images[6] = { path: 'a.jpg', stats: { ...images[6].stats, brightness: 0.0 } };
    images[7] = { path: 'grey.jpg', stats: { ...images[7].stats, saturation: 0 } };
    const { findings, thresholds } = findImageProblems(images);
    assert.deepEqual(findings.map((f) => [f.path, f.kind]), [['a.jpg', 'dark'], ['b.jpg', 'dark'], ['grey.jpg', 'grayscale']]);
    assert.equal(findings[0].score, 1, 'black is the worst possible dark');
    assert.ok(findings[1].score > 0 && findings[1].score < 1);
    assert.deepEqual(thresholds.map((t) => t.kind).sort(), [...FINDING_KINDS].sort());
    assert.deepEqual(countByKind(findings), { dark: 2, bright: 0, blurry: 0, 'low-information': 0, grayscale: 1, 'odd-aspect-ratio': 0, 'odd-size': 0 });
  });

  it('no images, no findings; median and MAD of a small list', () => {
    assert.deepEqual(findImageProblems([]), { findings: [], thresholds: [] });
    assert.deepEqual(robustCentre([1, 2, 3, 4, 100]), { median: 3, mad: 1 });
  });
});
