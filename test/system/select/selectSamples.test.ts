// The selection job on real images with the real bundled model: only unlabelled images, paths
// relative to the root, duplicates collapsed, clear messages when embeddings or labels are missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { selectSamples, type SelectSamplesParams } from '../../../src/core/jobs/selectSamples';
import { SELECTION_METHODS } from '../../../src/core/select/types';
import { resolveCacheDir } from '../../../src/core/workspace/cacheDir';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, cliPath, distDir, tempDir } from '../../support/paths';

describe('selectSamples job', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let embedParams: EmbedDatasetParams;
  let base: Omit<SelectSamplesParams, 'method' | 'budget' | 'seed'>;
  const encoders = new EncoderCache();

  before(async () => {
    ({ dir, cleanup } = await tempDir('select'));
    const root = await makeFixtureDataset(dir);
    await copyFile(join(root, 'unlabeled', 'u_003.png'), join(root, 'unlabeled', 'u_003 copy.png'));
    await copyFile(join(root, '0', '0_000.png'), join(root, 'unlabeled', 'same as a labelled one.png'));
    const model = { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') };
    // The folder `--cache-location <dir>/cache` resolves to, so the CLI test reads the same cache.
    const cacheDir = resolveCacheDir(root, join(dir, 'cache'));
    embedParams = { root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 16 };
    base = { root, unlabeledFolderName: 'unlabeled', cacheDir, model, kernelsDir: join(distDir, 'models', 'kernels') };
  });
  after(async () => {
    await encoders.dispose();
    await cleanup();
  });

  it('says to run embed first when nothing is embedded', async () => {
    await assert.rejects(selectSamples({ ...base, method: 'random', budget: 3, seed: 1 }), /run `curator embed`/);
  });

  it('stores patterns at embed time and ranks only unlabelled, distinct images with every method', async () => {
    const embedded = await embedDataset(embedParams, { encoders });
    assert.ok((embedded.patternsComputed ?? 0) > 0, 'patterns were computed from the feature map');
    // u_003 and its copy are one candidate; the copy of a labelled image is none.
    const distinct = fixtureFacts.unlabelledDecodable;
    for (const method of SELECTION_METHODS) {
      const result = await selectSamples({ ...base, method, budget: 100, seed: 3 });
      assert.equal(result.candidates, distinct, method);
      assert.equal(result.items.length, distinct, `${method}: a budget above the pool returns the pool`);
      assert.deepEqual(result.items.map((i) => i.rank), Array.from({ length: distinct }, (_, i) => i + 1));
      for (const item of result.items) {
        assert.match(item.path, /^unlabeled\/[^\\]+\.png$/, `${method}: relative path with forward slashes`);
        assert.notEqual(item.path, 'unlabeled/same as a labelled one.png');
      }
      const u3 = result.items.find((i) => i.path === 'unlabeled/u_003 copy.png' || i.path === 'unlabeled/u_003.png');
      assert.deepEqual(u3?.duplicates?.length, 1, `${method}: the identical copy is listed with its original`);
      assert.equal(result.kernels, 'onnxruntime-cpu');
    }
  });

  it('computes only the missing patterns for images whose embeddings are cached', async () => {
    const again = await embedDataset({ ...embedParams, patternCount: 5 }, { encoders });
    assert.equal(again.embedded, 0, 'no embedding is recomputed');
    assert.equal(again.patternsComputed, fixtureFacts.decodable, 'every distinct cached image (the two copies add no content) gets K = 5 patterns');
    const result = await selectSamples({ ...base, method: 'freesel', budget: 3, seed: 1, patternCount: 5 });
    assert.equal(result.items.length, 3);
    assert.ok(result.items.every((item) => typeof item.patterns === 'number' && item.patterns <= 5));
  });

  it('prints the selection as JSON from the CLI', () => {
    const output = execFileSync(process.execPath, [cliPath, 'select', base.root, '--method', 'kcenter', '--budget', '4', '--seed', '2', '--json', '--quiet', '--cache-location', join(dir, 'cache')], { encoding: 'utf8' });
    const parsed = JSON.parse(output) as { method: string; budget: number; seed: number; items: Array<{ path: string; rank: number; score: number; distance: number }> };
    assert.deepEqual([parsed.method, parsed.budget, parsed.seed], ['kcenter', 4, 2]);
    assert.deepEqual(parsed.items.map((i) => i.rank), [1, 2, 3, 4]);
    assert.ok(parsed.items.every((i) => i.path.startsWith('unlabeled/') && typeof i.distance === 'number'));
  });

  it('is reproducible for a seed and explains each pick', async () => {
    const a = await selectSamples({ ...base, method: 'freesel', budget: 5, seed: 9 });
    const b = await selectSamples({ ...base, method: 'freesel', budget: 5, seed: 9 });
    assert.deepEqual(a.items, b.items);
    for (const item of a.items) assert.equal(typeof item.distance, 'number', 'FreeSel reports D (labelled images exist, so every pick has one)');
    const lpl = await selectSamples({ ...base, method: 'lplgrad', budget: 5, seed: 9 });
    for (const item of lpl.items) {
      assert.equal(typeof item.gradNorm, 'number');
      assert.equal(typeof item.predictedLoss, 'number');
    }
  });

  it('asks for labels (and suggests FreeSel) when only one class is labelled', async () => {
    for (const name of fixtureFacts.classes.slice(1)) await rm(join(base.root, name), { recursive: true });
    await assert.rejects(selectSamples({ ...base, method: 'lplgrad', budget: 5, seed: 1 }), /TypiClust/);
    assert.equal((await selectSamples({ ...base, method: 'freesel', budget: 5, seed: 1 })).items.length, 5);
  });
});
