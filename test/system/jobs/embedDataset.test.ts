// The embedding pipeline on real images with the real bundled model: counts, incremental re-runs,
// duplicates, decode failures, cache repair after a torn write, and export for Python.

import assert from 'node:assert/strict';
import { copyFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { decodeForModel } from '../../../src/core/embed/imageDecoder';
import type { EmbedDatasetParams } from '../../../src/core/embed/types';
import { readNpy } from '../../../src/core/export/npy';
import { hashImages } from '../../../src/core/pool/contentHashes';
import { EMBEDDING_KIND, embedDataset } from '../../../src/core/jobs/embedDataset';
import { exportRootEmbeddings } from '../../../src/core/jobs/exportRootEmbeddings';
import { scanDataset } from '../../../src/core/dataset/scan';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, tempDir } from '../../support/paths';

describe('embedDataset', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let params: EmbedDatasetParams;
  const encoders = new EncoderCache();

  before(async () => {
    ({ dir, cleanup } = await tempDir('pipeline'));
    const root = await makeFixtureDataset(dir);
    // Valid PNG signature, body cut off: passes the scan's sniffing, fails to decode.
    const png = await readFile(join(root, '0', '0_000.png'));
    await writeFile(join(root, 'unlabeled', 'torn.png'), png.subarray(0, 40));
    params = {
      root,
      unlabeledFolderName: 'unlabeled',
      cacheDir: join(dir, 'cache'),
      model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
      executionProvider: 'cpu',
      batchSize: 8,
    };
  });
  after(async () => {
    await encoders.dispose();
    await cleanup();
  });

  it('embeds every decodable image once and lists the one that does not decode', async () => {
    const phases = new Set<string>();
    const result = await embedDataset(params, { encoders, onProgress: (p) => phases.add(p.phase) });
    assert.equal(result.provider, 'cpu');
    assert.equal(result.embedded, fixtureFacts.decodable);
    assert.equal(result.fromCache, 0);
    assert.deepEqual(result.failed.map((f) => f.relPath), ['unlabeled/torn.png']);
    assert.equal(result.dim > 0, true);
    assert.deepEqual([...phases].sort(), ['embed', 'hash', 'model', 'scan']);
  });

  it('re-embeds nothing on a second run', async () => {
    const result = await embedDataset(params, { encoders });
    assert.equal(result.embedded, 0);
    assert.equal(result.fromCache, fixtureFacts.decodable);
  });

  it('reports the embedding width when a fresh encoder serves everything from the cache', async () => {
    // As in a new CLI process: no forward pass runs, so the width must come from the cache.
    const fresh = new EncoderCache();
    try {
      const result = await embedDataset(params, { encoders: fresh });
      assert.equal(result.embedded, 0);
      assert.equal(result.dim, 768); // the bundled default: InceptionV3 mixed4, 768 channels
    } finally {
      await fresh.dispose();
    }
  });

  it('re-embeds only a changed file, and a copy of a known file not at all', async () => {
    await copyFile(join(params.root, '7', '7_000.png'), join(params.root, '1', '1_000.png')); // changes 1_000's content
    await copyFile(join(params.root, '7', '7_001.png'), join(params.root, 'unlabeled', 'copy of 7_001.png')); // a duplicate
    const result = await embedDataset(params, { encoders });
    // 1_000 now holds the same bytes as 7_000, which is cached: nothing new to compute at all.
    assert.equal(result.embedded, 0);
    assert.equal(result.fromCache, fixtureFacts.decodable + 1);

    await writeFile(join(params.root, '1', '1_001.png'), await readFile(join(params.root, 'unlabeled', 'u_000.png')));
    await copyFile(join(params.root, 'unlabeled', 'u_001.png'), join(params.root, 'unlabeled', 'u_001 again.png'));
    const again = await embedDataset(params, { encoders });
    assert.equal(again.embedded, 0, 'both new files hold content seen before');
  });

  it('stores exactly what a fresh forward pass computes', async () => {
    const encoder = await encoders.get(params.model, 'cpu');
    const scan = await scanDataset(params.root, { unlabeledFolderName: 'unlabeled' });
    const hashes = await hashImages(scan.images, params.cacheDir);
    const sample = scan.images.filter((_, i) => i % 7 === 0);
    const fresh = await encoder.embed(await Promise.all(sample.map(async (image) => (await decodeForModel(image.absPath, encoder.descriptor.input)).data)));
    const store = await EmbeddingStore.open(params.cacheDir, encoder.descriptor.id);
    try {
      for (const [i, image] of sample.entries()) {
        const cached = await store.get(hashes.byPath.get(image.relPath)!, EMBEDDING_KIND);
        assert.ok(cached, image.relPath);
        const maxDiff = Math.max(...cached.data.map((value, j) => Math.abs(value - fresh[i][j])));
        assert.ok(maxDiff < 1e-4, `${image.relPath}: cached vector differs by ${maxDiff}`);
      }
    } finally {
      await store.close();
    }
  });

  it('repairs a cache whose last write was torn and embeds the lost image again', async () => {
    const encoder = await encoders.get(params.model, 'cpu');
    const log = join(params.cacheDir, 'models', encoder.descriptor.id, 'vectors.bin');
    const { size } = await stat(log);
    await truncate(log, size - 100);
    const result = await embedDataset(params, { encoders });
    assert.equal(result.cacheRepairs.length, 1, 'the repair is reported');
    assert.match(result.cacheRepairs[0], /dropped \d+ bytes/);
    assert.equal(result.embedded >= 1, true, 'the image whose record was cut is embedded again');
    const clean = await embedDataset(params, { encoders });
    assert.deepEqual([clean.embedded, clean.cacheRepairs], [0, []]);
  });

  it('exports embeddings.npy and index.csv in scan order with labels', async () => {
    const outDir = join(dir, 'export');
    const result = await exportRootEmbeddings({ ...params, outDir });
    const scan = await scanDataset(params.root, { unlabeledFolderName: 'unlabeled' });
    assert.deepEqual(result.missing, ['unlabeled/torn.png']);
    assert.equal(result.rows, scan.images.length - 1);
    const npy = await readNpy(join(outDir, 'embeddings.npy'));
    assert.deepEqual(npy.shape, [result.rows, result.dim]);
    const lines = (await readFile(join(outDir, 'index.csv'), 'utf8')).trim().split(/\r?\n/);
    assert.equal(lines[0], 'row,path,label');
    assert.equal(lines.length - 1, result.rows);
    assert.ok(lines.includes('0,0/0_000.png,0') || lines.some((line) => /^\d+,0\/0_000\.png,0$/.test(line)));
    assert.ok(lines.some((line) => /^\d+,unlabeled\/u_000\.png,$/.test(line)), 'unlabelled rows have an empty label');
  });
});
