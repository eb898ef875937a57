// Contracts of the partial-label distiller and of the k-NN baseline on separable blobs with some
// labels flipped on purpose: probabilities are distributions, flags land only on labelled images
// and find the flipped ones, and runs are reproducible.
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { KnnLabelPropagator } from '../../../src/core/suggest/knnLabelPropagator';
import { PartialLabelDistiller } from '../../../src/core/suggest/partialLabelDistiller';
import { SuggestionUnavailableError, type LabelledPool, type SoftLabels } from '../../../src/core/suggest/types';
import { gaussianBlobs } from './syntheticClusters';

// Eight classes: a flag needs the given label outside the top 2, which a random wrong label
// usually is among eight classes (among four it is often the runner-up).
const CLASSES = 8;

/** 60 per class, the first 40 of each class labelled, 10% of those labels moved to another class. */
function noisyPool(seed: number): { pool: LabelledPool; truth: Int32Array; flipped: Set<number> } {
  const { features, truth } = gaussianBlobs(CLASSES, 60, 16, 1.0, seed);
  const random = new SeededRandom(seed + 7);
  const labels = Int32Array.from(truth, (t, row) => (row % 60 < 40 ? t : -1));
  const labelled = [...labels.keys()].filter((row) => labels[row] >= 0);
  const flipped = new Set(random.permutation(labelled.length).slice(0, 32).map((i) => labelled[i]));
  for (const row of flipped) labels[row] = (truth[row] + 1 + random.int(CLASSES - 1)) % CLASSES;
  return { pool: { features, labels, classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }, truth, flipped };
}

function checkContracts(result: SoftLabels, pool: LabelledPool): void {
  const rows = pool.features.rows;
  assert.equal(result.probabilities.length, rows * CLASSES);
  for (let row = 0; row < rows; row++) {
    const p = result.probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
    const sum = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `row ${row} sums to ${sum}`);
    assert.ok(p.every((v) => v >= 0 && v <= 1));
    if (pool.labels[row] < 0) {
      assert.equal(result.issues[row], false, 'an unlabelled image is never flagged');
      assert.equal(result.evidence[row], null);
    } else {
      assert.ok(result.evidence[row] !== null);
    }
  }
}

function accuracy(result: SoftLabels, truth: Int32Array, rows: number[]): number {
  const correct = rows.filter((row) => {
    const p = result.probabilities.subarray(row * CLASSES, (row + 1) * CLASSES);
    return p.indexOf(Math.max(...p)) === truth[row];
  });
  return correct.length / rows.length;
}

describe('PartialLabelDistiller', function () {
  this.timeout(30_000);

  it('returns distributions, flags only labelled images, and finds the flipped labels', () => {
    const { pool, truth, flipped } = noisyPool(3);
    const result = new PartialLabelDistiller({ seed: 1 }).run(pool);
    checkContracts(result, pool);
    const flagged = [...result.issues.keys()].filter((row) => result.issues[row]);
    const hits = flagged.filter((row) => flipped.has(row)).length;
    // Separable blobs: out-of-fold predictions disagree with nearly every flipped label, and
    // rarely with a correct one.
    assert.ok(hits >= 0.75 * flipped.size, `found ${hits} of ${flipped.size} flipped labels`);
    assert.ok(hits >= 0.8 * flagged.length, `${hits} of ${flagged.length} flags are flipped labels`);
    const unlabelled = [...pool.labels.keys()].filter((row) => pool.labels[row] < 0);
    assert.ok(accuracy(result, truth, unlabelled) > 0.9);
  });

  it('judges labelled images out of sample: a flipped label does not look right to the teacher', () => {
    const { pool, flipped } = noisyPool(4);
    const result = new PartialLabelDistiller({ seed: 2 }).run(pool);
    const pGiven = [...flipped].map((row) => result.evidence[row]!.pGiven);
    const mean = pGiven.reduce((a, b) => a + b, 0) / pGiven.length;
    // A teacher that had seen these labels would give them a high probability.
    assert.ok(mean < 0.3, `mean teacher probability of flipped labels ${mean}`);
  });

  it('is reproducible for a seed', () => {
    const { pool } = noisyPool(5);
    const a = new PartialLabelDistiller({ seed: 9 }).run(pool);
    const b = new PartialLabelDistiller({ seed: 9 }).run(pool);
    assert.deepEqual(a.probabilities, b.probabilities);
    assert.deepEqual(a.issues, b.issues);
  });

  it('judges flags with the out-of-fold teachers of their own epochs, whatever the student learns from', () => {
    const { pool } = noisyPool(8);
    const shipped = new PartialLabelDistiller({ seed: 2 }).run(pool);
    const otherStudentTeacher = new PartialLabelDistiller({ seed: 2, teacherEpochs: 20 }).run(pool);
    // (Small pools get at least 300 Adam steps, so only a longer run differs from the default here.)
    const otherFlagTeachers = new PartialLabelDistiller({ seed: 2, flagTeacherEpochs: 200 }).run(pool);
    // The student's teacher changes the suggestions but not the evidence behind the flags.
    assert.deepEqual(otherStudentTeacher.evidence, shipped.evidence);
    assert.notDeepEqual(otherStudentTeacher.probabilities, shipped.probabilities);
    // The flags' teachers change the evidence.
    assert.notDeepEqual(otherFlagTeachers.evidence, shipped.evidence);
  });

  it('says what to do when there is nothing to learn from', () => {
    const { pool } = noisyPool(6);
    const oneClass = { ...pool, labels: Int32Array.from(pool.labels, (l) => (l >= 0 ? 0 : -1)) };
    assert.throws(() => new PartialLabelDistiller().run(oneClass), SuggestionUnavailableError);
  });
});

describe('KnnLabelPropagator', () => {
  it('returns distributions, flags only labelled images, and finds the flipped labels', () => {
    const { pool, truth, flipped } = noisyPool(3);
    const result = new KnnLabelPropagator({ k: 5 }).run(pool);
    checkContracts(result, pool);
    const flagged = [...result.issues.keys()].filter((row) => result.issues[row]);
    const hits = flagged.filter((row) => flipped.has(row)).length;
    // The baseline misses more: a flipped label's own noisy neighbours keep it in the top 2.
    assert.ok(hits >= 0.6 * flipped.size && hits >= 0.8 * flagged.length, `${hits} hits, ${flagged.length} flags, ${flipped.size} flipped`);
    const unlabelled = [...pool.labels.keys()].filter((row) => pool.labels[row] < 0);
    assert.ok(accuracy(result, truth, unlabelled) > 0.9);
  });

  it('weighs votes by similarity and never lets an image vote for itself', () => {
    // Two labelled images per class in two directions, and one unlabelled query beside class x.
    // Row 0's neighbours exclude itself: row 1 (x, nearly parallel) and a y image far away.
    const features = { data: Float32Array.from([0, 1, 0.1, 1, 1, 0, 1, 0.05, 0.03, 1]), rows: 5, width: 2 };
    const pool: LabelledPool = { features, labels: Int32Array.from([0, 0, 1, 1, -1]), classNames: ['x', 'y'] };
    const result = new KnnLabelPropagator({ k: 2, temperature: 0.1 }).run(pool);
    checkContractsFor2(result);
    assert.ok(result.probabilities[4 * 2] > 0.5, 'the query near class x');
    assert.ok(result.probabilities[0] > 0.5);
  });
});

function checkContractsFor2(result: SoftLabels): void {
  for (let row = 0; row < result.probabilities.length / 2; row++) {
    assert.ok(Math.abs(result.probabilities[2 * row] + result.probabilities[2 * row + 1] - 1) < 1e-9);
  }
}
