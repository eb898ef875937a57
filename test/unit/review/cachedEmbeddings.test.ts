// What the summary says about a root's embedding cache without opening it: the models with a
// non-empty vectors.bin of this cache format, last written first.

import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FORMAT_VERSION } from '../../../src/core/cache/cacheMeta';
import { cachedEmbeddingsSentence } from '../../../src/core/report/summaryText';
import { listCachedEmbeddings } from '../../../src/core/review/cachedEmbeddings';
import { tempDir } from '../../support/paths';

describe('listCachedEmbeddings', () => {
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: cacheDir, cleanup } = await tempDir('cached-embeddings'));
  });
  afterEach(() => cleanup());

  async function cache(folder: string, meta: unknown, vectors: string, writtenMs = Date.now()): Promise<void> {
    const dir = join(cacheDir, 'models', folder);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
    await writeFile(join(dir, 'vectors.bin'), vectors);
    await utimes(join(dir, 'vectors.bin'), new Date(writtenMs), new Date(writtenMs));
  }

  it('finds nothing where nothing was embedded', async () => {
    assert.deepEqual(await listCachedEmbeddings(cacheDir), []);
  });

  it('lists the models with vectors, last written first, and leaves out empty, foreign-format and broken caches', async () => {
    await cache('old-model', { formatVersion: CACHE_FORMAT_VERSION, modelId: 'old-model', created: '' }, 'records', Date.UTC(2026, 0, 2, 3, 4));
    await cache('new-model', { formatVersion: CACHE_FORMAT_VERSION, modelId: 'new-model', created: '' }, 'records', Date.UTC(2026, 5, 6, 7, 8));
    await cache('empty', { formatVersion: CACHE_FORMAT_VERSION, modelId: 'empty', created: '' }, '');
    await cache('future', { formatVersion: CACHE_FORMAT_VERSION + 1, modelId: 'future', created: '' }, 'records');
    await cache('broken', 'not an object', 'records');
    const listed = await listCachedEmbeddings(cacheDir);
    assert.deepEqual(listed, [
      { modelId: 'new-model', writtenAt: '2026-06-06T07:08:00.000Z' },
      { modelId: 'old-model', writtenAt: '2026-01-02T03:04:00.000Z' },
    ]);
    assert.equal(
      cachedEmbeddingsSentence(listed),
      'Embeddings: not computed in this window; the cache holds embeddings of new-model (last written 2026-06-06 07:08 UTC), old-model (last written 2026-01-02 03:04 UTC).',
    );
    assert.equal(cachedEmbeddingsSentence([]), 'Embeddings: not computed yet.');
  });
});
