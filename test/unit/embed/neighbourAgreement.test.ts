// The encoder check: the leave-one-out nearest-neighbour agreement of labelled images, as pure
// math on known geometry, then as `curator embed` reports it on real photographs.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { agreementSentence, evenlySpread, LOW_AGREEMENT, neighbourAgreement } from '../../../src/core/embed/neighbourAgreement';
import { SeededRandom } from '../../../src/core/math/seededRandom';
import { repoRoot, tempDir } from '../../support/paths';
import { runCli } from '../../support/runCli';

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

  describe('curator embed on real photographs', function () {
    this.timeout(180_000);
    let cleanup: () => Promise<void>;
    let work: string;

    before(async () => {
      ({ dir: work, cleanup } = await tempDir('encoder-check'));
    });
    after(async () => cleanup());

    /** `perClass` CIFAR-10 dev photos of each class into <root>/<class>/. */
    async function photoRoot(name: string, classes: string[], perClass: number): Promise<string> {
      const root = join(work, name);
      const dev = resolve(repoRoot, '..', 'shared', 'data', 'cifar10-dev', 'pool');
      for (const label of classes) {
        await mkdir(join(root, label), { recursive: true });
        const files = (await readdir(join(dev, label))).sort().slice(0, perClass);
        for (const file of files) await copyFile(join(dev, label, file), join(root, label, file));
      }
      return root;
    }

    it('reports neighbourAgreement for a root with enough labels, above chance, and a sentence', async () => {
      const root = await photoRoot('three-classes', ['airplane', 'frog', 'truck'], 15);
      const run = await runCli(work, 'embed', root, '--json', '--provider', 'cpu', '--quiet');
      assert.equal(run.code, 0, run.stderr);
      const [result] = JSON.parse(run.stdout).roots;
      assert.equal(result.neighbourAgreementImages, 45);
      // Chance for three balanced classes is about a third; the bundled encoder must do clearly better.
      assert.ok(result.neighbourAgreement > 0.5 && result.neighbourAgreement <= 1, `agreement ${result.neighbourAgreement}`);
      const human = await runCli(work, 'embed', root, '--provider', 'cpu', '--quiet');
      assert.match(human.stdout, /Encoder check: \d+% of 45 labelled images have a nearest labelled neighbour of the same class under /);
    });

    it('leaves the field out when too few images are labelled', async () => {
      const root = await photoRoot('few-labels', ['cat', 'dog'], 9);
      const run = await runCli(work, 'embed', root, '--json', '--provider', 'cpu', '--quiet');
      assert.equal(run.code, 0, run.stderr);
      const [result] = JSON.parse(run.stdout).roots;
      assert.equal(result.neighbourAgreement, undefined);
    });
  });
});
