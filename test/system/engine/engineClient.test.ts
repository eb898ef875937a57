// The engine process behind its RPC: calls, malformed requests, cancellation, and recovery after a kill.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EngineCallError, EngineClient, EngineCrashedError } from '../../../src/core/engine/engineClient';
import { makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, enginePath, tempDir } from '../../support/paths';

describe('EngineClient and the engine process', () => {
  let engine: EngineClient;
  const logs: string[] = [];

  beforeEach(() => {
    logs.length = 0;
    engine = new EngineClient({ enginePath, log: (level, message) => logs.push(`${level}: ${message}`) });
  });
  afterEach(() => engine.dispose());

  it('answers a call from a separate process', async () => {
    const pong = await engine.call('ping', {});
    assert.equal(pong.pid, engine.pid);
    assert.notEqual(pong.pid, process.pid);
  });

  it('rejects a request with bad parameters without dying', async () => {
    await assert.rejects(engine.call('scan', { folders: 'not a list' } as never), (error: unknown) => {
      assert.ok(error instanceof EngineCallError);
      assert.match(error.message, /folders/);
      return true;
    });
    const pong = await engine.call('ping', {});
    assert.ok(pong.pid > 0);
  });

  it('reports a killed engine to pending calls and starts a new one on the next call', async () => {
    const { dir, cleanup } = await tempDir('engine-kill');
    try {
      const root = await makeFixtureDataset(dir);
      const first = await engine.call('ping', {});
      const pending = engine.call('embedDataset', {
        root,
        unlabeledFolderName: 'unlabeled',
        cacheDir: join(dir, 'cache'),
        model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
        executionProvider: 'cpu',
        batchSize: 4,
      });
      process.kill(first.pid, 'SIGKILL');
      await assert.rejects(pending, (error: unknown) => {
        assert.ok(error instanceof EngineCrashedError, String(error));
        assert.match(error.message, /SIGKILL/);
        return true;
      });
      const second = await engine.call('ping', {});
      assert.notEqual(second.pid, first.pid);
    } finally {
      await cleanup();
    }
  });

  it('cancels a running call through an AbortSignal', async () => {
    const { dir, cleanup } = await tempDir('engine-cancel');
    try {
      const root = await makeFixtureDataset(dir);
      const controller = new AbortController();
      const call = engine.call(
        'embedDataset',
        {
          root,
          unlabeledFolderName: 'unlabeled',
          cacheDir: join(dir, 'cache'),
          model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
          executionProvider: 'cpu',
          batchSize: 2,
        },
        { onProgress: (p) => p.phase === 'embed' && p.done > 0 && controller.abort(), signal: controller.signal },
      );
      await assert.rejects(call, (error: unknown) => error instanceof EngineCallError && error.cancelled);
      // The engine survives a cancel.
      assert.ok((await engine.call('ping', {})).pid > 0);
    } finally {
      await cleanup();
    }
  });
});
