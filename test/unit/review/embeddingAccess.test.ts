// The review panel's short visits to the embedding cache while a job of the same engine holds it:
// the visit is refused after a moment (the panel then shows what it can), not after the job ends.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CacheLockedError } from '../../../src/core/cache/cacheLockedError';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { EMBEDDING_KIND, withEmbeddingStore } from '../../../src/core/review/embeddingAccess';
import { tempDir } from '../../support/paths';

describe('withEmbeddingStore (review visits)', function () {
  // A visit that waited for the whole job (30 s) would run past this.
  this.timeout(10_000);
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir: cacheDir, cleanup } = await tempDir('embedding-access')).dir);
  afterEach(() => cleanup());

  it('is refused within moments while a job of this process holds the cache, and reads once it is closed', async () => {
    const hash = createHash('sha256').update('image').digest('hex');
    const job = await EmbeddingStore.open(join(cacheDir), 'model-a');
    await job.append([{ hash, kind: EMBEDDING_KIND, shape: [2], data: new Float32Array([1, 2]) }]);
    await job.flush();
    await assert.rejects(withEmbeddingStore(cacheDir, 'model-a', async (store) => store.has(hash, EMBEDDING_KIND)), CacheLockedError);
    await job.close();
    assert.equal(await withEmbeddingStore(cacheDir, 'model-a', async (store) => store.has(hash, EMBEDDING_KIND)), true);
  });
});
