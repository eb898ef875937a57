// Cancelling Compute Embeddings midway, through the engine (as the extension does) and with Ctrl+C
// in the CLI: the caller gets "cancelled", never a result that looks finished, and the work done
// before the cancel is kept in the cache for the next run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { EngineCallError, EngineClient } from '../../../src/core/engine/engineClient';
import { bundledModelDir, cliPath, enginePath, tempDir } from '../../support/paths';
import { makeNoiseDataset } from './noiseDataset';

const IMAGES = 100;

describe('reliability: cancel midway', function () {
  this.timeout(180_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let root: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('cancel'));
    root = await makeNoiseDataset(dir, IMAGES);
  });
  after(async () => cleanup?.());

  it('engine call: rejects as cancelled with no result, and the next run resumes from the cache', async () => {
    const engine = new EngineClient({ enginePath });
    try {
      const params: EmbedDatasetParams = {
        root,
        unlabeledFolderName: 'unlabeled',
        cacheDir: join(dir, 'engine-cache'),
        model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
        executionProvider: 'cpu',
        batchSize: 4,
      };
      const controller = new AbortController();
      let cancelledAfter = 0;
      const call = engine.call('embedDataset', params, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (cancelledAfter > 0 || progress.phase !== 'embed' || progress.done < progress.total / 4) return;
          cancelledAfter = progress.done;
          controller.abort();
        },
      });
      await assert.rejects(call, (error: unknown) => error instanceof EngineCallError && error.cancelled && /Cancelled/.test(error.message));
      assert.ok(cancelledAfter > 0 && cancelledAfter < IMAGES, `cancelled midway (after ${cancelledAfter})`);

      const next = await engine.call('embedDataset', params);
      assert.ok(next.fromCache >= cancelledAfter && next.embedded > 0, `resumed: ${next.fromCache} from cache, ${next.embedded} embedded`);
      assert.equal(next.fromCache + next.embedded, IMAGES);
    } finally {
      engine.dispose();
    }
  });

  it('CLI: Ctrl+C prints "Cancelled", exits 130 and prints no summary', async () => {
    const cacheLocation = join(dir, 'cli-cache');
    const child = spawn(process.execPath, [cliPath, 'embed', root, '--provider', 'cpu', '--batch-size', '4', '--cache-location', cacheLocation], {
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'xdg') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    // Interrupt once the first vectors are on disk: embedding is under way, far from done.
    let sizeAtInterrupt = 0;
    for (let waited = 0; sizeAtInterrupt === 0 && waited < 60_000; waited += 20) {
      sizeAtInterrupt = await vectorLogSize(cacheLocation);
      if (sizeAtInterrupt === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(sizeAtInterrupt > 0, `embedding never started: ${stderr}`);
    child.kill('SIGINT');

    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /curator: Cancelled\./);
    assert.doesNotMatch(stdout, /embeddings ready/, 'no summary that would read as a finished run');
  });
});

/** Size of the vector log under a --cache-location folder (0 while there is none). */
async function vectorLogSize(cacheLocation: string): Promise<number> {
  try {
    for (const rootCache of await readdir(cacheLocation)) {
      const modelsDir = join(cacheLocation, rootCache, 'models');
      for (const model of await readdir(modelsDir).catch(() => [])) {
        const size = await stat(join(modelsDir, model, 'vectors.bin')).then((s) => s.size, () => 0);
        if (size > 0) return size;
      }
    }
  } catch {
    return 0;
  }
  return 0;
}
