// The LPT++ mixture on synthetic long-tailed blobs: its contracts (distributions, expert weights,
// flags only on labelled images, reproducible), that the scorer learns to trust the informative
// expert over a useless one, and that class-balanced training serves the rare classes.
import assert from 'node:assert/strict';
import { predictProbabilities } from '../../../src/core/math/linearHead';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { crossEntropy } from '../../../src/core/math/softmaxLosses';
import { trainLinearHead } from '../../../src/core/math/trainLinearHead';
import { centredUnitRows, columnMean, pickRows, type VectorRows } from '../../../src/core/math/vectorRows';
import { LongTailMixture } from '../../../src/core/suggest/longTail/longTailMixture';
import type { LabelledPool } from '../../../src/core/suggest/types';
import { gaussianBlobs } from './syntheticClusters';

const CLASSES = 6;
/** Labelled images per class: a head class of 120 down to tail classes of 4 (imbalance 30). */
const LABELLED = [120, 60, 30, 15, 8, 4];
const UNLABELLED_PER_CLASS = 40;

/** Overlapping blobs (spread 3 around centres ~3 apart per dimension), so the tail is hard. */
function longTailedPool(seed: number): { pool: LabelledPool; truth: Int32Array } {
  const { features, truth } = gaussianBlobs(CLASSES, LABELLED.map((n) => n + UNLABELLED_PER_CLASS), 8, 3, seed);
  const seen = new Array<number>(CLASSES).fill(0);
  const labels = Int32Array.from(truth, (c) => (seen[c]++ < LABELLED[c] ? c : -1));
  return { pool: { features, labels, classNames: LABELLED.map((_, c) => `class${c}`) }, truth };
}

function noiseFeatures(rows: number, width: number, seed: number): VectorRows {
  const random = new SeededRandom(seed);
  return { data: Float32Array.from({ length: rows * width }, () => random.normal()), rows, width };
}

/** Mean per-class accuracy (every class counts the same) on the unlabelled rows. */
function balancedAccuracy(probabilities: Float64Array, pool: LabelledPool, truth: Int32Array): number {
  const perClass = Array.from({ length: CLASSES }, (_, c) => {
    const rows = [...truth.keys()].filter((row) => pool.labels[row] < 0 && truth[row] === c);
    const correct = rows.filter((row) => {
      const p = probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
      return p.indexOf(Math.max(...p)) === c;
    });
    return correct.length / rows.length;
  });
  return perClass.reduce((a, b) => a + b, 0) / CLASSES;
}

describe('LongTailMixture', function () {
  this.timeout(60_000);

  it('returns distributions and per-image expert weights, and flags only labelled images', () => {
    const { pool } = longTailedPool(1);
    const experts = [
      { name: 'blobs', features: pool.features },
      { name: 'noise', features: noiseFeatures(pool.features.rows, 8, 2) },
    ];
    const result = new LongTailMixture({ seed: 3 }).run(pool, experts);
    assert.deepEqual(result.expertNames, ['blobs', 'noise']);
    for (let row = 0; row < pool.features.rows; row++) {
      const p = result.probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      const w = result.expertWeights.subarray(row * 2, row * 2 + 2);
      assert.ok(Math.abs(w[0] + w[1] - 1) < 1e-9 && w.every((v) => v >= 0));
      if (pool.labels[row] < 0) {
        assert.equal(result.issues[row], false);
        assert.equal(result.evidence[row], null);
      } else assert.ok(result.evidence[row] !== null);
    }
    const again = new LongTailMixture({ seed: 3 }).run(pool, experts);
    assert.deepEqual(again.probabilities, result.probabilities, 'reproducible for a seed');
  });

  it('learns to weigh the informative expert above one that sees only noise', () => {
    const { pool, truth } = longTailedPool(4);
    const result = new LongTailMixture({ seed: 1 }).run(pool, [
      { name: 'noise', features: noiseFeatures(pool.features.rows, 8, 5) },
      { name: 'blobs', features: pool.features },
    ]);
    const unlabelled = [...pool.labels.keys()].filter((row) => pool.labels[row] < 0);
    const meanWeight = unlabelled.reduce((sum, row) => sum + result.expertWeights[row * 2 + 1], 0) / unlabelled.length;
    assert.ok(meanWeight > 0.6, `mean weight of the informative expert ${meanWeight}`);
    // Mixing in the noise expert costs little next to the informative expert alone.
    const alone = new LongTailMixture({ seed: 1 }).run(pool, [{ name: 'blobs', features: pool.features }]);
    const mixed = balancedAccuracy(result.probabilities, pool, truth);
    assert.ok(mixed > balancedAccuracy(alone.probabilities, pool, truth) - 0.05, `mixture ${mixed}`);
  });

  it('a class-balanced expert serves the rare classes better than a plain instance-balanced head', () => {
    const { pool, truth } = longTailedPool(7);
    const x = centredUnitRows(pool.features, columnMean([pool.features], pool.features.width));
    const labelled = [...pool.labels.keys()].filter((row) => pool.labels[row] >= 0);
    const y = Int32Array.from(labelled, (row) => pool.labels[row]);
    const balanced = new LongTailMixture({ seed: 2 }).trainExpert(pickRows(x, labelled), y, CLASSES, 2);
    const plain = trainLinearHead(pickRows(x, labelled), crossEntropy(y), { classes: CLASSES, seed: 2, steps: balancedSteps(labelled.length) });
    const balancedScore = balancedAccuracy(predictProbabilities(balanced, x), pool, truth);
    const plainScore = balancedAccuracy(predictProbabilities(plain, x), pool, truth);
    assert.ok(balancedScore > plainScore, `class-balanced ${balancedScore} vs plain ${plainScore}`);
  });
});

/** The same number of steps the mixture's experts train for (30 epochs of batches of 64). */
function balancedSteps(rows: number): number {
  return Math.round((30 * rows) / 64);
}
