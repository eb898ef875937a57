// The encoder check: the leave-one-out nearest-neighbour agreement of labelled images, as pure
// math on known geometry (`curator embed` reporting it on real photographs: test/system/embed/).
import assert from 'node:assert/strict';
import { agreementSentence, evenlySpread, LOW_AGREEMENT, neighbourAgreement } from '../../../src/core/embed/neighbourAgreement';
import { SeededRandom } from '../../../src/core/math/seededRandom';

/** n points per class around well separated centres in `width` dims, with a little noise. */
function clusters(classes: number, perClass: number, width: number, noise: number, seed: number) {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: width }, () => random.normal()));
  const data = new Float32Array(classes * perClass * width);
  const labels = new Int32Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const row = c * perClass + i;
      labels[row] = c;
      for (let k = 0; k < width; k++) data[row * width + k] = centres[c][k] + noise * random.normal();
    }
  }
  return { rows: { data, rows: labels.length, width }, labels };
}

describe('encoder check (neighbour agreement)', () => {
  it('is 1 for separated classes and near chance when labels ignore the geometry', () => {
    const { rows, labels } = clusters(4, 10, 16, 0.1, 1);
    const centre = new Float64Array(16);
    assert.equal(neighbourAgreement(rows, labels, centre)?.agreement, 1);
    const shuffled = Int32Array.from(new SeededRandom(2).permutation(labels.length), (i) => labels[i]);
    const random = neighbourAgreement(rows, shuffled, centre);
    assert.ok(random && random.agreement < 0.6, `shuffled labels agree ${random?.agreement}`);
  });

  it('leaves each image out of its own neighbourhood', () => {
    // Ten directions, each held by two identical images with different labels: counting an image
    // as its own neighbour would give 1; leaving it out, its nearest is its twin of the other class.
    const width = 10;
    const data = new Float32Array(20 * width);
    const labels = new Int32Array(20);
    for (let k = 0; k < 10; k++) {
      data[2 * k * width + k] = 1;
      data[(2 * k + 1) * width + k] = 1;
      labels[2 * k + 1] = 1;
    }
    assert.equal(neighbourAgreement({ data, rows: 20, width }, labels, new Float64Array(width))?.agreement, 0);
  });

  it('gives no figure with fewer than 20 labelled images or a single class', () => {
    const { rows, labels } = clusters(2, 9, 8, 0.1, 3);
    assert.equal(neighbourAgreement(rows, labels, new Float64Array(8)), undefined);
    const one = clusters(1, 30, 8, 0.1, 4);
    assert.equal(neighbourAgreement(one.rows, one.labels, new Float64Array(8)), undefined);
  });

  it('spreads a capped sample evenly and names the model command when the figure is low', () => {
    assert.deepEqual(evenlySpread(5, 10), [0, 1, 2, 3, 4]);
    assert.deepEqual(evenlySpread(10, 4), [0, 2, 5, 7]);
    assert.match(agreementSentence({ agreement: LOW_AGREEMENT - 0.16, images: 40 }, 'M'), /34% of 40 labelled images .* under M; that is low, so a stronger model may help: Curator: Choose Embedding Model\./);
    assert.doesNotMatch(agreementSentence({ agreement: 0.9, images: 40 }, 'M'), /stronger model/);
  });
});
