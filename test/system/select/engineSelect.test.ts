// selectSamples through the engine process's RPC: the same job, validated parameters, progress.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineCallError, EngineClient } from '../../../src/core/engine/engineClient';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, distDir, enginePath, tempDir } from '../../support/paths';

describe('engine RPC: selectSamples', function () {
  this.timeout(120_000);
  let engine: EngineClient;
  let dir: string;
  let cleanup: () => Promise<void>;
  let root: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('engine-select'));
    root = await makeFixtureDataset(dir);
    engine = new EngineClient({ enginePath, log: () => undefined });
  });
  after(async () => {
    engine.dispose();
    await cleanup();
  });

  const request = () => ({
    root,
    unlabeledFolderName: 'unlabeled',
    cacheDir: join(dir, 'cache'),
    model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
    method: 'freesel' as const,
    budget: 4,
    seed: 2,
    kernelsDir: join(distDir, 'models', 'kernels'),
  });

  it('refuses a malformed request without running anything', async () => {
    await assert.rejects(engine.call('selectSamples', { ...request(), method: 'best' as never }), (error: unknown) => error instanceof EngineCallError && /method/.test(error.message));
    await assert.rejects(engine.call('selectSamples', { ...request(), budget: 0 }), /budget/);
  });

  it('selects after embedding, reporting progress', async () => {
    await engine.call('embedDataset', { root, unlabeledFolderName: 'unlabeled', cacheDir: join(dir, 'cache'), model: request().model, executionProvider: 'cpu', batchSize: 16 });
    const phases = new Set<string>();
    const result = await engine.call('selectSamples', request(), { onProgress: (p) => phases.add(p.phase) });
    assert.equal(result.items.length, 4);
    assert.equal(result.candidates, fixtureFacts.unlabelledDecodable);
    assert.ok(phases.has('select'));
    assert.equal(result.kernels, 'onnxruntime-cpu');
  });
});
