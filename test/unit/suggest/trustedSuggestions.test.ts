// The trust step on embeddings whose classes are known (Gaussian blobs): images of a class without
// labels must come out unlike the labelled classes, marked "new class?" and never "99%" anything;
// images of labelled classes keep confident, right suggestions; the probabilities are calibrated.
import assert from 'node:assert/strict';
import { acceptSuggestions, countByClass, fewSureHint, requireCalibrated, UncalibratedSuggestionsError } from '../../../src/core/suggest/acceptSuggestions';
import { parseSoftLabels } from '../../../src/core/review/resultFiles';
import type { LoadedSuggestions } from '../../../src/core/review/resultFiles';
import { KnnLabelPropagator } from '../../../src/core/suggest/knnLabelPropagator';
import { suggestionItems } from '../../../src/core/suggest/suggestionReport';
import { empiricalPValue, fitTemperature, mixturePosterior, newClassPosterior, simulatedNewClassPValues } from '../../../src/core/suggest/trust/openSetCalibration';
import { fitPoolWhitening, whitenRows } from '../../../src/core/suggest/trust/poolWhitening';
import { trustSoftLabels } from '../../../src/core/suggest/trust/trustedSuggestions';
import type { LabelledPool } from '../../../src/core/suggest/types';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { gaussianBlobs } from './syntheticClusters';

/** 4 classes of 150 images; classes 0-2 have `perClass` labels each, class 3 has none. */
function openPool(spread: number, seed = 1, perClass = 10): { pool: LabelledPool; truth: Int32Array } {
  const blobs = gaussianBlobs(4, 150, 32, spread, seed);
  const labels = new Int32Array(blobs.truth.length).fill(-1);
  const random = new SeededRandom(seed);
  for (let c = 0; c < 3; c++) {
    const rows = [...blobs.truth.keys()].filter((row) => blobs.truth[row] === c);
    for (const i of random.permutation(rows.length).slice(0, perClass)) labels[rows[i]] = c;
  }
  return { pool: { features: blobs.features, labels, classNames: ['a', 'b', 'c'] }, truth: blobs.truth };
}

describe('trust step', () => {
  it('fits the share of new-class images with simulated new classes once there are enough labels, from the tail before', () => {
    // 20 labels in each of 3 classes: 60 simulated new-class p-values, enough for the mixture.
    const many = openPool(3, 4, 20);
    const mixture = trustSoftLabels(many.pool, new KnnLabelPropagator().run(many.pool));
    const tail = trustSoftLabels(many.pool, new KnnLabelPropagator().run(many.pool), { newClassModel: 'p-value tail' });
    assert.notEqual(mixture.openSet.newClassShare, tail.openSet.newClassShare, 'the mixture ran');
    assert.ok(Math.abs(mixture.openSet.newClassShare - 0.25) < 0.12, `share ${mixture.openSet.newClassShare} (truly a quarter)`);
    // 10 labels in each: 30 simulated p-values are too few for a density; the tail estimate is used.
    const few = openPool(3, 4, 10);
    const fewMixture = trustSoftLabels(few.pool, new KnnLabelPropagator().run(few.pool));
    const fewTail = trustSoftLabels(few.pool, new KnnLabelPropagator().run(few.pool), { newClassModel: 'p-value tail' });
    assert.equal(fewMixture.openSet.newClassShare, fewTail.openSet.newClassShare);
  });

  it('marks the images of a class without labels as "new class?" and gives them no sure suggestion', () => {
    const { pool, truth } = openPool(2);
    const trusted = trustSoftLabels(pool, new KnnLabelPropagator().run(pool));
    const unlabelled = [...pool.labels.keys()].filter((row) => pool.labels[row] < 0);
    const unknown = unlabelled.filter((row) => truth[row] === 3);
    const known = unlabelled.filter((row) => truth[row] < 3);
    const markedUnknown = unknown.filter((row) => trusted.unknownClass[row]).length;
    const markedKnown = known.filter((row) => trusted.unknownClass[row]).length;
    assert.ok(markedUnknown >= 0.9 * unknown.length, `most of the new class is marked: ${markedUnknown}/${unknown.length}`);
    assert.ok(markedKnown <= 0.1 * known.length, `few of the labelled classes are: ${markedKnown}/${known.length}`);
    // The estimated share of new-class images (truly a quarter) errs low, on the safe side of "nothing is new".
    assert.ok(trusted.openSet.newClassShare > 0.1 && trusted.openSet.newClassShare <= 0.3, `share ${trusted.openSet.newClassShare}`);
    const items = suggestionItems(pool.labels.reduce<Array<{ path: string; hash: string; label: string | null }>>((all, label, row) => [...all, { path: `i${row}`, hash: '', label: label >= 0 ? pool.classNames[label] : null }], []), trusted);
    for (const row of unknown) assert.ok(items[row].suggestions[0].p < 0.5, `a new-class image is not sure of any labelled class: ${items[row].suggestions[0].p}`);
    // Known-class images stay confidently right.
    const sureRight = known.filter((row) => items[row].suggestions[0].p >= 0.9 && items[row].suggestions[0].label === pool.classNames[truth[row]]).length;
    assert.ok(sureRight >= 0.8 * known.length, `${sureRight}/${known.length} known images sure and right`);
    for (const row of unlabelled) {
      const sum = items[row].suggestions.reduce((total, s) => total + s.p, 0);
      assert.ok(Math.abs(sum + items[row].pNewClass! - 1) < 1e-4, 'the class probabilities and the new-class probability add up to 1');
      assert.ok(items[row].unknownScore! >= 0 && items[row].unknownScore! <= 1);
    }
  });

  it('ranks new-class images above known ones by unknownScore even when the classes overlap', () => {
    const { pool, truth } = openPool(6);
    const trusted = trustSoftLabels(pool, new KnnLabelPropagator().run(pool));
    const unlabelled = [...pool.labels.keys()].filter((row) => pool.labels[row] < 0);
    let above = 0;
    let pairs = 0;
    for (const u of unlabelled.filter((row) => truth[row] === 3)) {
      for (const k of unlabelled.filter((row) => truth[row] < 3)) {
        pairs++;
        if (trusted.unknownScore[u] > trusted.unknownScore[k]) above++;
      }
    }
    assert.ok(above / pairs > 0.75, `AUROC ${above / pairs}`);
  });

  it('with every class labelled, marks almost nothing new', () => {
    const blobs = gaussianBlobs(3, 150, 32, 2, 3);
    const labels = Int32Array.from(blobs.truth, (c, row) => (row % 15 === 0 ? c : -1));
    const pool = { features: blobs.features, labels, classNames: ['a', 'b', 'c'] };
    const trusted = trustSoftLabels(pool, new KnnLabelPropagator().run(pool));
    assert.ok(trusted.openSet.unknownClassCount <= 0.05 * labels.filter((l) => l < 0).length, `${trusted.openSet.unknownClassCount} marked`);
    assert.ok(trusted.openSet.newClassShare < 0.1);
  });
});

describe('open-set calibration parts', () => {
  it('fits the temperature that makes held-out probabilities match: sharper when similarities separate better', () => {
    const y = Int32Array.from({ length: 200 }, (_, i) => i % 2);
    const random = new SeededRandom(5);
    // Similarity to the true class exceeds the other by a gap with noise; a bigger gap -> smaller T.
    const sims = (gap: number) => Float64Array.from({ length: 400 }, (_, j) => (j % 2 === y[j >> 1] ? gap : 0) + random.normal() * 0.1);
    const wide = fitTemperature(sims(0.6), y, 2).temperature;
    const narrow = fitTemperature(sims(0.05), y, 2).temperature;
    assert.ok(wide < narrow, `${wide} < ${narrow}`);
  });

  it('turns p-values into a new-class posterior that never falls as images get less typical', () => {
    const random = new SeededRandom(9);
    // 70% uniform (known), 30% piled near 0 (new).
    const p = Float64Array.from({ length: 2000 }, (_, i) => (i % 10 < 7 ? random.next() : random.next() ** 4));
    const { pNew, newShare } = newClassPosterior(p, 0.05);
    assert.ok(Math.abs(newShare - 0.3) < 0.08, `share ${newShare}`);
    const order = [...p.keys()].sort((a, b) => p[a] - p[b]);
    for (let i = 1; i < order.length; i++) assert.ok(pNew[order[i]] <= pNew[order[i - 1]] + 1e-12);
    assert.ok(pNew[order[0]] > 0.7 && pNew[order[order.length - 1]] < 0.05, `${pNew[order[0]]} ${pNew[order[order.length - 1]]}`);
  });

  it('counts the new-class images that look typical, which the tail estimate takes for known ones', () => {
    const random = new SeededRandom(11);
    // Half known (uniform p-values), half new with a weak lean to small p-values, as a weak
    // encoder gives: many new-class images look as typical as known ones.
    const weak = (): number => random.next() ** 1.6;
    const p = Float64Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? random.next() : weak()));
    const simulated = Float64Array.from({ length: 100 }, weak);
    const mixture = mixturePosterior(p, simulated);
    const tail = newClassPosterior(p, 0.05);
    assert.ok(Math.abs(mixture.newShare - 0.5) < 0.15, `mixture share ${mixture.newShare}`);
    assert.ok(tail.newShare < mixture.newShare - 0.1, `tail share ${tail.newShare} below the mixture's ${mixture.newShare}`);
    // The most typical images still carry a real chance of being new: nothing there is "sure".
    const mostTypical = [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, 200);
    assert.ok(Math.min(...mostTypical.map((i) => mixture.pNew[i])) > 0.15, 'typical images keep a new-class risk');
    const order = [...p.keys()].sort((a, b) => p[a] - p[b]);
    for (let i = 1; i < order.length; i++) assert.ok(mixture.pNew[order[i]] <= mixture.pNew[order[i - 1]] + 1e-12);
  });

  it('finds almost no new-class images when the p-values are uniform', () => {
    const random = new SeededRandom(12);
    const p = Float64Array.from({ length: 3000 }, () => random.next());
    const simulated = Float64Array.from({ length: 100 }, () => random.next() ** 4);
    assert.ok(mixturePosterior(p, simulated).newShare < 0.05);
  });

  it('simulates new classes by holding out each labelled class in turn', () => {
    // Three classes; each image is most similar to its own class (0.9) and 0.2-0.5 to the others.
    const y = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const sims = new Float64Array(9 * 3);
    y.forEach((c, i) => {
      for (let k = 0; k < 3; k++) sims[i * 3 + k] = k === c ? 0.9 - i * 0.01 : 0.2 + 0.1 * ((i + k) % 4);
    });
    const simulated = simulatedNewClassPValues(sims, y, 3);
    assert.equal(simulated.length, 9);
    // A held-out class's images are less like the others than the others' own images are: small p-values.
    for (const p of simulated) assert.ok(p <= 1 / 7 + 1e-12, `p ${p}`);
  });

  it('interpolates p-values between reference values', () => {
    const reference = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    assert.equal(empiricalPValue(reference, 0), 1 / 5);
    assert.ok(Math.abs(empiricalPValue(reference, 0.25) - 2.5 / 5) < 1e-12);
    assert.equal(empiricalPValue(reference, 0.9), 4 / 5);
  });

  it('whitening gives unit rows whose leading directions have equal spread', () => {
    const random = new SeededRandom(2);
    const width = 20;
    const rows = 400;
    // One direction with 10x the spread of the rest.
    const data = Float32Array.from({ length: rows * width }, (_, i) => (i % width === 0 ? 10 : 1) * random.normal() + 5);
    const whitening = fitPoolWhitening({ data, rows, width }, { components: 5, shrinkage: 0 });
    const white = whitenRows({ data, rows, width }, whitening);
    assert.equal(white.width, 5);
    for (let r = 0; r < rows; r++) {
      let norm = 0;
      for (let c = 0; c < 5; c++) norm += white.data[r * 5 + c] ** 2;
      assert.ok(Math.abs(norm - 1) < 1e-5);
    }
    // The big direction is found first.
    assert.ok(Math.abs(whitening.directions[0]) > 0.99, `first direction ${whitening.directions[0]}`);
  });
});

describe('acceptSuggestions', () => {
  it('says why little is sure when the run found many images unlike every labelled class', () => {
    const raw = (share: unknown) => ({ method: 'pll', openSet: { temperature: 0.1, newClassShare: share, unknownClassCount: 1 }, items: [{ path: 'unlabeled/a.png', label: null, suggestions: [{ label: 'cat', p: 0.4 }] }] });
    const half = parseSoftLabels('pll.json', raw(0.5))!;
    assert.equal(half.newClassShare, 0.5);
    assert.match(fewSureHint(half), /About 50% of the unlabelled images look like none of the labelled classes/);
    assert.equal(fewSureHint(parseSoftLabels('pll.json', raw(0.1))!), '');
    assert.equal(parseSoftLabels('pll.json', raw('lots'))!.newClassShare, undefined, 'a malformed share is ignored');
    assert.equal(fewSureHint(parseSoftLabels('pll.json', raw('lots'))!), '');
  });

  const loaded = (calibrated: boolean): LoadedSuggestions => ({
    file: 'pll.json',
    method: 'pll',
    calibrated,
    byPath: new Map([
      ['unlabeled/cat1.png', { label: null, suggestions: [{ label: 'cat', p: 0.95 }] }],
      ['unlabeled/cat2.png', { label: null, suggestions: [{ label: 'cat', p: 0.91 }] }],
      ['unlabeled/dog1.png', { label: null, suggestions: [{ label: 'dog', p: 0.97 }] }],
      // Sure of "cat" among the labelled classes, but most likely a class without labels.
      ['unlabeled/fox.png', { label: null, suggestions: [{ label: 'cat', p: 0.96 }], unknownClass: true }],
      ['unlabeled/unsure.png', { label: null, suggestions: [{ label: 'dog', p: 0.5 }] }],
      ['cat/c.png', { label: 'cat', suggestions: [{ label: 'cat', p: 0.99 }] }],
    ]),
  });

  it('never takes a "new class?" image, and counts per class what it files', () => {
    const picked = acceptSuggestions(loaded(true), 0.9);
    assert.deepEqual(picked.changes.map((c) => c.relPath), ['unlabeled/dog1.png', 'unlabeled/cat1.png', 'unlabeled/cat2.png']);
    assert.equal(picked.unknownClass, 1);
    assert.equal(picked.belowThreshold, 1);
    assert.deepEqual(picked.byClass, [{ label: 'cat', count: 2 }, { label: 'dog', count: 1 }]);
    assert.deepEqual(countByClass([]), []);
  });

  it('refuses suggestions whose probabilities were not calibrated', () => {
    assert.throws(() => requireCalibrated(loaded(false)), UncalibratedSuggestionsError);
    assert.doesNotThrow(() => requireCalibrated(loaded(true)));
  });
});
