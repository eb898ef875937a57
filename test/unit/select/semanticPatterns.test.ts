// FreeSel's pattern extraction on hand-made feature maps.
import assert from 'node:assert/strict';
import { cosineKMeans, foregroundPositions, semanticPatterns } from '../../../src/core/select/semanticPatterns';

/** A map of `vectors` (one per position), position-major. */
function map(vectors: number[][]): Float32Array {
  return Float32Array.from(vectors.flat());
}

describe('semantic patterns', () => {
  it('keeps the smallest set of most salient positions that holds tau of the saliency', () => {
    // Norms 4, 3, 2, 1 (total 10): tau 0.5 needs 4 + 3 = 7 >= 5, so positions 1 and 3 (norms 4 and 3).
    const features = map([[0, 2], [4, 0], [1, 0], [0, 3]]);
    assert.deepEqual(foregroundPositions(features, 4, 2, 0.5), [1, 3]);
    assert.deepEqual(foregroundPositions(features, 4, 2, 0.4), [1]);
    assert.deepEqual(foregroundPositions(features, 4, 2, 1), [1, 3, 0, 2]);
  });

  it('keeps the most salient position when the map is all zero', () => {
    assert.deepEqual(foregroundPositions(new Float32Array(8), 4, 2, 0.5), [0]);
  });

  it('clusters directions with cosine k-means and returns unit centroids', () => {
    // Two directions, different lengths: x-like and y-like vectors.
    const unit = (v: number[]) => Float32Array.from(v.map((x) => x / Math.hypot(...v)));
    const centres = cosineKMeans([unit([1, 0.1]), unit([1, -0.1]), unit([0.1, 1]), unit([-0.1, 1])], 2);
    assert.equal(centres.length, 2);
    const sorted = centres.map((c) => [...c]).sort((a, b) => b[0] - a[0]);
    assert.ok(Math.abs(sorted[0][0] - 1) < 1e-6 && Math.abs(sorted[0][1]) < 1e-6);
    assert.ok(Math.abs(sorted[1][1] - 1) < 1e-6 && Math.abs(sorted[1][0]) < 1e-6);
  });

  it('uses the kept positions themselves when there are K or fewer', () => {
    const features = map([[0, 0], [3, 4], [0, 0], [0, 0]]);
    const patterns = semanticPatterns(features, 4, 2, 3);
    assert.equal(patterns.count, 1);
    assert.deepEqual([...patterns.data], [0.6000000238418579, 0.800000011920929]);
  });

  it('drops background before clustering: weak positions never shape a pattern', () => {
    // Strong foreground along x and y; weak background along (1, 1) in many positions.
    const strong = [[10, 0], [9, 0.5], [0, 10], [0.5, 9]];
    const weak = Array.from({ length: 10 }, () => [0.3, 0.3]);
    const patterns = semanticPatterns(map([...strong, ...weak]), 14, 2, 2);
    assert.equal(patterns.count, 2);
    for (let p = 0; p < 2; p++) {
      const [x, y] = [patterns.data[2 * p], patterns.data[2 * p + 1]];
      assert.ok(Math.abs(Math.hypot(x, y) - 1) < 1e-6, 'unit length');
      assert.ok(Math.max(Math.abs(x), Math.abs(y)) > 0.95, `pattern ${p} follows a foreground axis: (${x}, ${y})`);
    }
  });
});
