// The encoder check as `curator embed` reports it on real photographs (the CLI as a subprocess,
// the bundled model in onnxruntime); its math is checked in test/unit/embed/neighbourAgreement.test.ts.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { repoRoot, tempDir } from '../../support/paths';
import { runCli } from '../../support/runCli';

describe('encoder check (neighbour agreement)', () => {
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
