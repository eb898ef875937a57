// FreeSel's sampling on cases small enough to check by hand, and the lazy D updates against an
// eager reference.
import assert from 'node:assert/strict';
import { JsMatrixKernels } from '../../../src/core/select/kernels/jsKernels';
import { selectByCoverage } from '../../../src/core/select/patternCoverage';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import type { PatternSets, VectorRows } from '../../../src/core/select/types';

const kernels = new JsMatrixKernels();

function unitRows(angles: number[]): VectorRows {
  return { data: Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)])), rows: angles.length, width: 2 };
}

function unitRowsOf(vectors: number[][], width: number): VectorRows {
  const data = Float32Array.from(vectors.flatMap((v) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  }));
  return { data, rows: vectors.length, width };
}

function onePatternEach(rows: VectorRows): PatternSets {
  return { vectors: rows, offsets: Int32Array.from({ length: rows.rows + 1 }, (_, i) => i) };
}

describe('selectByCoverage (FreeSel sampling)', () => {
  // A labelled image at angle 0; the pool holds B at 90 degrees (D = 1 - cos 90 = 1) and C at
  // 180 degrees (D = 1 - cos 180 = 2). D^2 sampling takes C first with probability 4 / (4 + 1).
  const covered = unitRows([0]);
  const pool = onePatternEach(unitRows([Math.PI / 2, Math.PI]));

  it('farthest-first takes C (D = 2), then B (D = 1)', async () => {
    const picks = await selectByCoverage(pool, covered, 'farthest-first', { budget: 2, random: new SeededRandom(1), kernels });
    assert.deepEqual(picks.map((p) => p.item), [1, 0]);
    assert.ok(Math.abs(picks[0].distance! - 2) < 1e-6);
    assert.ok(Math.abs(picks[1].distance! - 1) < 1e-6);
  });

  it('D^2 sampling takes C first about 4 times in 5, and reports D at pick time', async () => {
    let firstIsC = 0;
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      const [first] = await selectByCoverage(pool, covered, 'd2-sampling', { budget: 1, random: new SeededRandom(seed), kernels });
      if (first.item === 1) {
        firstIsC++;
        assert.ok(Math.abs(first.distance! - 2) < 1e-6);
      } else {
        assert.ok(Math.abs(first.distance! - 1) < 1e-6);
      }
    }
    // Binomial(2000, 0.8): standard deviation 0.009; allow 4 of them.
    assert.ok(Math.abs(firstIsC / trials - 0.8) < 0.036, `C first in ${firstIsC} of ${trials}`);
  });

  it('with nothing labelled the first pick is uniform and carries no distance', async () => {
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 900; seed++) {
      const [first] = await selectByCoverage(onePatternEach(unitRows([0, 1, 2])), undefined, 'd2-sampling', { budget: 1, random: new SeededRandom(seed), kernels });
      assert.equal(first.distance, undefined);
      counts[first.item]++;
    }
    for (const count of counts) assert.ok(Math.abs(count - 300) < 60, `counts ${counts}`);
  });

  it('the second D^2 pick uses D updated by the first (exactly, before any refresh)', async () => {
    // Pool: P at 0 (to be picked first by farthest-first order irrelevant here), Q at 10 degrees, R at 180.
    // After covering angle 90 and picking P, D(Q) = 1 - cos(10 deg), D(R) = 1 - cos(90 deg) = 1.
    const pool3 = onePatternEach(unitRows([0, (10 * Math.PI) / 180, Math.PI]));
    const dQ = 1 - Math.cos((10 * Math.PI) / 180);
    const expectedR = 1 / (1 + dQ * dQ);
    let secondIsR = 0;
    let runs = 0;
    for (let seed = 0; seed < 3000; seed++) {
      const picks = await selectByCoverage(pool3, unitRows([Math.PI / 2]), 'd2-sampling', { budget: 2, random: new SeededRandom(seed), kernels, refreshEvery: 1000 });
      if (picks[0].item !== 0) continue;
      runs++;
      if (picks[1].item === 2) secondIsR++;
    }
    assert.ok(runs > 500);
    assert.ok(Math.abs(secondIsR / runs - expectedR) < 0.03, `R second in ${secondIsR} of ${runs}, expected ${expectedR.toFixed(3)}`);
  });

  it('lazy farthest-first picks exactly what an eager refresh after every pick picks', async () => {
    const random = new SeededRandom(3);
    const width = 6;
    const rows = 200;
    const data = Float32Array.from({ length: rows * width }, () => random.normal());
    for (let r = 0; r < rows; r++) {
      const norm = Math.hypot(...data.subarray(r * width, (r + 1) * width));
      for (let k = 0; k < width; k++) data[r * width + k] /= norm;
    }
    const sets: PatternSets = { vectors: { data, rows, width }, offsets: Int32Array.from({ length: 101 }, (_, i) => 2 * i) };
    const eager = await selectByCoverage(sets, undefined, 'farthest-first', { budget: 40, random: new SeededRandom(9), kernels, refreshEvery: 1 });
    const lazy = await selectByCoverage(sets, undefined, 'farthest-first', { budget: 40, random: new SeededRandom(9), kernels, refreshEvery: 16 });
    assert.deepEqual(lazy.map((p) => p.item), eager.map((p) => p.item));
    lazy.forEach((p, i) => assert.ok(Math.abs((p.distance ?? 0) - (eager[i].distance ?? 0)) < 1e-5));
  });

  it('lazy farthest-first stays exact on a clustered pool, where most popped candidates lose to a recent pick', async () => {
    // Tight clusters: a pick in one cluster drops the bounds of its whole cluster, so the heap's top
    // entries are repeatedly stale and their checks stop and resume part-way through the recent picks.
    const random = new SeededRandom(5);
    const width = 16;
    const clusters = 12;
    const rows = 1200;
    const centres = Array.from({ length: clusters }, () => Array.from({ length: width }, () => random.normal()));
    const data = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      const centre = centres[r % clusters];
      for (let k = 0; k < width; k++) data[r * width + k] = centre[k] + 0.15 * random.normal();
      const norm = Math.hypot(...data.subarray(r * width, (r + 1) * width));
      for (let k = 0; k < width; k++) data[r * width + k] /= norm;
    }
    const sets: PatternSets = { vectors: { data, rows, width }, offsets: Int32Array.from({ length: rows + 1 }, (_, i) => i) };
    const covered = unitRowsOf(centres.slice(0, 2), width);
    const eager = await selectByCoverage(sets, covered, 'farthest-first', { budget: 150, random: new SeededRandom(2), kernels, refreshEvery: 1 });
    // Checked one dot product at a time, and in kernel batches of several sizes.
    for (const checkBatch of [0, 3, 64]) {
      const lazy = await selectByCoverage(sets, covered, 'farthest-first', { budget: 150, random: new SeededRandom(2), kernels, refreshEvery: 32, checkBatch });
      assert.deepEqual(lazy.map((p) => p.item), eager.map((p) => p.item), `checkBatch ${checkBatch}`);
      lazy.forEach((p, i) => assert.ok(Math.abs((p.distance ?? 0) - (eager[i].distance ?? 0)) < 1e-5));
      // Farthest-first distances never increase.
      for (let i = 1; i < lazy.length; i++) assert.ok(lazy[i].distance! <= lazy[i - 1].distance! + 1e-6);
    }
  });
});
