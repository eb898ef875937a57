// Near-duplicate groups: the relation is symmetric, chains join one group, and the threshold is a
// raw cosine distance independent of the rest of the dataset.
import assert from 'node:assert/strict';
import { findNearDuplicates } from '../../../src/core/duplicates/nearDuplicateFinder';
import { DisjointSets } from '../../../src/core/duplicates/disjointSets';

describe('near-duplicates', () => {
  const rows = {
    // 0-1 and 1-2 nearly parallel (a chain), 3 alone, 5 a scaled copy of 4.
    data: Float32Array.from([1, 0, 0, 1, 0.1, 0, 1, 0.2, 0.01, 0, 0, 1, 0, 1, 0, 0, 2, 0]),
    rows: 6,
    width: 3,
  };

  it('links pairs under the threshold into groups, symmetric in the input order', () => {
    const found = findNearDuplicates(rows, 0.02);
    assert.deepEqual(found.groups, [[0, 1, 2], [4, 5]], 'a scaled copy has distance 0');
    const reversed = { ...rows, data: new Float32Array(rows.data.length) };
    for (let r = 0; r < 6; r++) reversed.data.set(rows.data.subarray((5 - r) * 3, (6 - r) * 3), r * 3);
    const back = findNearDuplicates(reversed, 0.02).groups.map((g) => g.map((i) => 5 - i).sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
    assert.deepEqual(back, found.groups);
    assert.ok(found.pairs.every((p) => p.a < p.b && p.distance <= 0.02));
  });

  it('a tighter threshold splits the chain', () => {
    // d(0,1) = 0.00496, d(1,2) = 0.00482, d(0,2) = 0.0195.
    assert.deepEqual(findNearDuplicates(rows, 0.0049).groups, [[1, 2], [4, 5]]);
  });

  it('disjoint sets group transitively', () => {
    const sets = new DisjointSets(5);
    sets.union(3, 1);
    sets.union(1, 4);
    assert.deepEqual(sets.groups(), [[1, 3, 4]]);
  });
});
