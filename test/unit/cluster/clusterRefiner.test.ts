// SLR by hand on small cases (IoU projection, soft-label mixing), agreement measures, and the
// refiner's contracts: stable ids when nothing changed, and ids that follow the data.
import assert from 'node:assert/strict';
import { adjustedRandIndex, purity } from '../../../src/core/cluster/clusterAgreement';
import { ClusterRefiner, summariseFixed } from '../../../src/core/cluster/clusterRefiner';
import { iouProjection, mixedSoftLabel } from '../../../src/core/cluster/iouProjection';
import { averageLinkage } from '../../../src/core/cluster/averageLinkage';
import { gaussianBlobs } from '../suggest/syntheticClusters';

describe('SLR cluster refinement', () => {
  it('projects previous clusters onto new ones by IoU, rows normalised', () => {
    // Previous A0 = {0,1,2}, A1 = {3,4}; current B0 = {0,1}, B1 = {2,3,4}.
    const p = iouProjection(Int32Array.from([0, 0, 0, 1, 1]), 2, Int32Array.from([0, 0, 1, 1, 1]), 2);
    // IoU(A0,B0) = 2/3, IoU(A0,B1) = 1/5 -> normalised 10/13, 3/13; IoU(A1,B0) = 0, IoU(A1,B1) = 2/3 -> 0, 1.
    const expected = [10 / 13, 3 / 13, 0, 1];
    expected.forEach((v, i) => assert.ok(Math.abs(p[i] - v) < 1e-12, `P[${i}] = ${p[i]}, expected ${v}`));
  });

  it('mixes alpha * onehot(current) with (1 - alpha) * onehot(previous) P', () => {
    const p = Float64Array.from([10 / 13, 3 / 13, 0, 1]);
    const soft = mixedSoftLabel(1, 0, p, 2, 0.5);
    assert.ok(Math.abs(soft[0] - 5 / 13) < 1e-12 && Math.abs(soft[1] - (0.5 + 1.5 / 13)) < 1e-12);
    assert.deepEqual([...mixedSoftLabel(1, -1, p, 2, 0.5)], [0, 1], 'a new image has only its current cluster');
  });

  it('average linkage weighs points by their count', () => {
    const points = [Float64Array.from([1, 0]), Float64Array.from([0.9, 0.1]), Float64Array.from([0, 1])];
    assert.deepEqual([...averageLinkage(points, [5, 1, 3], { clusters: 2 })], [0, 0, 1]);
    assert.deepEqual([...averageLinkage(points, [5, 1, 3], { clusters: 1 })], [0, 0, 0]);
  });

  it('ARI is 1 for the same partition under other names and purity counts majorities', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]), 1);
    assert.ok(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) < 0);
    assert.equal(purity([0, 0, 0, 1], [1, 1, 2, 2]), 3 / 4);
  });

  it('keeps ids stable when the same images are clustered again or a few images are added', () => {
    const { features, truth } = gaussianBlobs(5, 40, 12, 1.5, 11);
    const keys = Array.from({ length: features.rows }, (_, i) => `h${i}`);
    const refiner = new ClusterRefiner();
    const first = refiner.refine(keys, features, null, { k: 5, seed: 1 });
    assert.ok(purity(first.ids, truth) > 0.95);
    // Another seed moves k-means' raw numbering (and maybe a boundary image) but not the ids.
    const second = refiner.refine(keys, features, first, { k: 5, seed: 2 });
    const same = second.ids.filter((id, i) => id === first.ids[i]).length;
    assert.ok(same >= 0.98 * keys.length, `${same} of ${keys.length} images kept their id`);
    assert.ok(second.clusters.every((c) => c.stability !== null && c.stability > 0.95));
    // An unchanged dataset keeps the stored round exactly.
    assert.deepEqual([...summariseFixed(keys, features, first.ids).ids], [...first.ids]);
    assert.equal(second.clusters.reduce((n, c) => n + c.size, 0), features.rows);
    // New images join the clusters of their blob.
    const more = gaussianBlobs(5, 50, 12, 1.5, 11);
    const moreKeys = Array.from({ length: more.features.rows }, (_, i) => `m${i}`);
    const withNew = refiner.refine([...keys, ...moreKeys.slice(0, 10)], stack(features, more.features, 10), first, { k: 5, seed: 3 });
    assert.ok(adjustedRandIndex(withNew.ids.subarray(0, keys.length), first.ids) > 0.95);
  });
});

function stack(a: { data: Float32Array; rows: number; width: number }, b: { data: Float32Array; width: number }, rowsOfB: number) {
  const data = new Float32Array((a.rows + rowsOfB) * a.width);
  data.set(a.data);
  data.set(b.data.subarray(0, rowsOfB * b.width), a.rows * a.width);
  return { data, rows: a.rows + rowsOfB, width: a.width };
}
