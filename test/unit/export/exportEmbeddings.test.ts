import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { csvField, csvRow } from '../../../src/core/export/csv';
import { exportEmbeddings } from '../../../src/core/export/exportEmbeddings';
import { readNpy } from '../../../src/core/export/npy';
import { EXPORT_DIM, EXPORT_MODEL, exportItems, hashOf, storeWithExportVectors, vectorFor } from '../../support/exportSamples';

describe('csv', () => {
  it('quotes only fields that need it, doubling inner quotes (RFC 4180)', () => {
    assert.equal(csvField('cats/a.png'), 'cats/a.png');
    assert.equal(csvField(''), '');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvRow(['0', 'x,y', '']), '0,"x,y",\r\n');
  });
});

describe('exportEmbeddings', () => {
  let folder: string;
  let store: EmbeddingStore;
  const items = exportItems;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-export-'));
    store = await storeWithExportVectors(join(folder, 'cache'));
  });
  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the rows in input order, skips and reports files without a vector', async () => {
    const outDir = join(folder, 'out');
    const result = await exportEmbeddings(items, store, outDir, { batchRows: 2 });
    assert.equal(result.rows, 5);
    assert.equal(result.dim, EXPORT_DIM);
    assert.deepEqual(result.missing, ['not embedded.png']);
    assert.deepEqual(result.files, [join(outDir, 'embeddings.npy'), join(outDir, 'index.csv'), join(outDir, 'meta.json')]);
    assert.deepEqual((await readdir(outDir)).sort(), ['embeddings.npy', 'index.csv', 'meta.json']);

    const npy = await readNpy(join(outDir, 'embeddings.npy'));
    assert.deepEqual(npy.shape, [5, EXPORT_DIM]);
    const expectedRows = ['plain', 'u1', 'odd', 'newline', 'plain'].map(vectorFor);
    expectedRows.forEach((row, i) => assert.deepEqual(npy.data.subarray(i * EXPORT_DIM, (i + 1) * EXPORT_DIM), row, `row ${i}`));

    assert.equal(
      await readFile(join(outDir, 'index.csv'), 'utf8'),
      'row,path,label\r\n' +
        '0,cats/plain.png,cats\r\n' +
        '1,unlabeled/u1.png,\r\n' +
        '2,"odd/comma, ""quote"".png","dogs, ""big"""\r\n' +
        '3,"odd/new\nline.png",dogs\r\n' +
        '4,copies/plain again.png,cats\r\n',
    );

    const meta = JSON.parse(await readFile(join(outDir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(meta.modelId, EXPORT_MODEL);
    assert.equal(meta.dim, EXPORT_DIM);
    assert.equal(meta.count, 5);
    assert.ok(!Number.isNaN(Date.parse(String(meta.created))));
  });

  // Read back by numpy and Python's csv module: test/system/export/numpy.test.ts.

  it('refuses to export when nothing is cached, writing nothing', async () => {
    const outDir = join(folder, 'empty');
    const none = [{ relPath: 'a.png', label: null, hash: hashOf('never stored') }];
    await assert.rejects(exportEmbeddings(none, store, outDir), /None of the 1 files.*compute embeddings first/);
    await assert.rejects(readdir(outDir), { code: 'ENOENT' });
  });

  it('refuses to export one model from another model\'s cache', async () => {
    await assert.rejects(exportEmbeddings(items, store, join(folder, 'out'), { modelId: 'other' }), /from the cache of model/);
  });
});
