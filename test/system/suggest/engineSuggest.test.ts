// The suggestion jobs through the engine process's RPC, as the extension runs them: validated
// parameters, results that cross the process boundary intact, result files in the cache folder.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineCallError, EngineClient } from '../../../src/core/engine/engineClient';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, enginePath, tempDir } from '../../support/paths';

describe('engine RPC: suggestLabels, findLabelIssues, clusterImages, findDuplicates', function () {
  this.timeout(120_000);
  let engine: EngineClient;
  let dir: string;
  let cleanup: () => Promise<void>;
  let root: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('engine-suggest'));
    root = await makeFixtureDataset(dir);
    engine = new EngineClient({ enginePath, log: () => undefined });
    await engine.call('embedDataset', { ...base(), executionProvider: 'cpu', batchSize: 16 });
  });
  after(async () => {
    engine.dispose();
    await cleanup();
  });

  const base = () => ({
    root,
    unlabeledFolderName: fixtureFacts.unlabeledFolderName,
    cacheDir: join(dir, 'cache'),
    model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
  });

  it('refuses an unknown method or a missing root without running anything', async () => {
    await assert.rejects(engine.call('suggestLabels', { ...base(), method: 'oracle' as never }), (error: unknown) => error instanceof EngineCallError && /method/.test(error.message));
    await assert.rejects(engine.call('clusterImages', { ...base(), root: '' }), /root/);
  });

  it('suggests labels for every embedded image and writes the result file', async () => {
    const result = await engine.call('suggestLabels', { ...base(), method: 'pll', seed: 1 });
    assert.equal(result.items.length, fixtureFacts.decodable);
    assert.deepEqual(result.classes, [...fixtureFacts.classes]);
    assert.equal(result.labelled, fixtureFacts.labelled);
    assert.ok(existsSync(join(dir, 'cache', 'suggestions', 'pll.json')));
    // Unlabelled images' probabilities are calibrated and leave room for a class without labels.
    assert.ok(result.openSet && result.openSet.temperature > 0, 'the calibration is reported');
    for (const item of result.items) {
      const rest = item.label === null ? item.pNewClass! : 0;
      assert.ok(Math.abs(item.suggestions.reduce((sum, s) => sum + s.p, 0) + rest - 1) < 1e-4, 'three classes: the whole distribution, and the new-class share');
      if (item.label === null) {
        assert.equal(item.issue, false);
        assert.ok(item.unknownScore! >= 0 && item.unknownScore! <= 1 && typeof item.unknownClass === 'boolean');
      }
    }
  });

  it('lists label issues, groups unlabelled images and finds duplicates', async () => {
    const issues = await engine.call('findLabelIssues', { ...base(), seed: 1 });
    assert.ok(issues.items.every((item) => item.issue && item.label !== null));
    const clusters = await engine.call('clusterImages', { ...base(), k: 3, newRound: true });
    assert.equal(clusters.clusters.reduce((n, c) => n + c.size, 0), fixtureFacts.unlabelledDecodable);
    const duplicates = await engine.call('findDuplicates', base());
    assert.equal(duplicates.exactGroups + duplicates.nearGroups, duplicates.groups.length);
  });
});
