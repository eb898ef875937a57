// The engine process SIGKILLed in the middle of Compute Embeddings: the caller is told the engine
// stopped, the next run embeds only what was not cached yet, the cache opens cleanly afterwards,
// and every cached vector equals a fresh forward pass.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { scanDataset } from '../../../src/core/dataset/scan';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { decodeForModel } from '../../../src/core/embed/imageDecoder';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { EngineClient, EngineCrashedError } from '../../../src/core/engine/engineClient';
import { hashImages } from '../../../src/core/pool/contentHashes';
import { EMBEDDING_KIND } from '../../../src/core/jobs/embedDataset';
import { bundledModelDir, enginePath, tempDir } from '../../support/paths';
import { makeNoiseDataset } from './noiseDataset';

const IMAGES = 100;

describe('reliability: engine killed mid-embedding', function () {
  this.timeout(180_000);
  const encoders = new EncoderCache();
  let engine: EngineClient;
  let cleanup: () => Promise<void>;
  let params: EmbedDatasetParams;

  before(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('engine-kill-resume'));
    params = {
      root: await makeNoiseDataset(dir, IMAGES),
      unlabeledFolderName: 'unlabeled',
      cacheDir: join(dir, 'cache'),
      model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
      executionProvider: 'cpu',
      batchSize: 4,
    };
    engine = new EngineClient({ enginePath });
  });
  after(async () => {
    engine?.dispose();
    await encoders.dispose();
    await cleanup?.();
  });

  it('reports the kill, resumes with only the rest, and caches exactly what a fresh computation gives', async () => {
    let killedAfter = 0;
    const first = engine.call('embedDataset', params, {
      onProgress: (progress) => {
        if (killedAfter > 0 || progress.phase !== 'embed' || progress.done < progress.total / 4) return;
        killedAfter = progress.done;
        process.kill(engine.pid!, 'SIGKILL');
      },
    });
    await assert.rejects(first, (error: unknown) => {
      assert.ok(error instanceof EngineCrashedError, String(error));
      assert.match(error.message, /engine process stopped unexpectedly \(signal SIGKILL\)\. The next command starts a new one/);
      return true;
    });
    assert.ok(killedAfter > 0 && killedAfter < IMAGES, `killed midway (after ${killedAfter} of ${IMAGES} images)`);

    // Everything reported done before the kill was written; the run after it computes only the rest.
    const resumed = await engine.call('embedDataset', params);
    assert.equal(resumed.images, IMAGES);
    assert.equal(resumed.failed.length, 0);
    assert.ok(resumed.fromCache >= killedAfter, `${resumed.fromCache} cached before the kill, at least the ${killedAfter} reported`);
    assert.ok(resumed.embedded > 0, 'the rest was embedded');
    assert.equal(resumed.embedded + resumed.fromCache, IMAGES);

    const clean = await engine.call('embedDataset', params);
    assert.deepEqual([clean.embedded, clean.fromCache, clean.cacheRepairs], [0, IMAGES, []], 'the cache is consistent after the resumed run');
    console.log(`      killed after ${killedAfter}; resumed with ${resumed.fromCache} cached, ${resumed.embedded} embedded; repairs on resume: ${JSON.stringify(resumed.cacheRepairs)}`);

    const maxDiff = await maxDifferenceFromFreshComputation(params, encoders);
    assert.ok(maxDiff < 1e-4, `cached vectors differ from a fresh computation by up to ${maxDiff}`);
    console.log(`      all ${IMAGES} cached vectors match a fresh computation: max abs difference ${maxDiff.toExponential(1)}`);
  });
});

/** The largest absolute difference between any cached embedding and the same image embedded now, in this process. */
async function maxDifferenceFromFreshComputation(params: EmbedDatasetParams, encoders: EncoderCache): Promise<number> {
  const encoder = await encoders.get(params.model, 'cpu');
  const scan = await scanDataset(params.root, { unlabeledFolderName: params.unlabeledFolderName });
  const hashes = await hashImages(scan.images, params.cacheDir);
  const store = await EmbeddingStore.open(params.cacheDir, encoder.descriptor.id);
  let maxDiff = 0;
  try {
    for (let start = 0; start < scan.images.length; start += 16) {
      const batch = scan.images.slice(start, start + 16);
      const fresh = await encoder.embed(await Promise.all(batch.map(async (image) => (await decodeForModel(image.absPath, encoder.descriptor.input)).data)));
      for (const [i, image] of batch.entries()) {
        const cached = await store.get(hashes.byPath.get(image.relPath)!, EMBEDDING_KIND);
        assert.ok(cached, `${image.relPath} is cached`);
        for (let j = 0; j < cached.data.length; j++) maxDiff = Math.max(maxDiff, Math.abs(cached.data[j] - fresh[i][j]));
      }
    }
  } finally {
    await store.close();
  }
  return maxDiff;
}
