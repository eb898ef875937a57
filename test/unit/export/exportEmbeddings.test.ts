import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { csvField, csvRow } from '../../../src/core/export/csv';
import { exportEmbeddings, type ExportItem } from '../../../src/core/export/exportEmbeddings';
import { readNpy } from '../../../src/core/export/npy';
import { isNumpyAvailable, NUMPY_SKIP_MESSAGE, runPythonJson } from './pythonNumpy';

const MODEL = 'export-test-model';
const DIM = 5;

function hashOf(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function vectorFor(name: string): Float32Array {
  const seed = parseInt(hashOf(name).slice(0, 6), 16);
  return Float32Array.from({ length: DIM }, (_, i) => ((seed >> i) % 1000) / 7 - 50);
}

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
  const items: ExportItem[] = [
    { relPath: 'cats/plain.png', label: 'cats', hash: hashOf('plain') },
    { relPath: 'unlabeled/u1.png', label: null, hash: hashOf('u1') },
    { relPath: 'not embedded.png', label: 'cats', hash: hashOf('never stored') },
    { relPath: 'odd/comma, "quote".png', label: 'dogs, "big"', hash: hashOf('odd') },
    { relPath: 'odd/new\nline.png', label: 'dogs', hash: hashOf('newline') },
    { relPath: 'copies/plain again.png', label: 'cats', hash: hashOf('plain') },
  ];
  const storedNames = ['plain', 'u1', 'odd', 'newline'];
  const exportedPaths = items.filter((item) => item.relPath !== 'not embedded.png').map((item) => item.relPath);

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-export-'));
    store = await EmbeddingStore.open(join(folder, 'cache'), MODEL);
    await store.append(storedNames.map((name) => ({ hash: hashOf(name), kind: 'embedding', shape: [DIM], data: vectorFor(name) })));
  });
  afterEach(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the rows in input order, skips and reports files without a vector', async () => {
    const outDir = join(folder, 'out');
    const result = await exportEmbeddings(items, store, outDir, { batchRows: 2 });
    assert.equal(result.rows, 5);
    assert.equal(result.dim, DIM);
    assert.deepEqual(result.missing, ['not embedded.png']);
    assert.deepEqual(result.files, [join(outDir, 'embeddings.npy'), join(outDir, 'index.csv'), join(outDir, 'meta.json')]);
    assert.deepEqual((await readdir(outDir)).sort(), ['embeddings.npy', 'index.csv', 'meta.json']);

    const npy = await readNpy(join(outDir, 'embeddings.npy'));
    assert.deepEqual(npy.shape, [5, DIM]);
    const expectedRows = ['plain', 'u1', 'odd', 'newline', 'plain'].map(vectorFor);
    expectedRows.forEach((row, i) => assert.deepEqual(npy.data.subarray(i * DIM, (i + 1) * DIM), row, `row ${i}`));

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
    assert.equal(meta.modelId, MODEL);
    assert.equal(meta.dim, DIM);
    assert.equal(meta.count, 5);
    assert.ok(!Number.isNaN(Date.parse(String(meta.created))));
  });

  it('reads back in numpy and Python csv with rows and paths aligned', async function () {
    if (!isNumpyAvailable()) {
      console.log(`      (${NUMPY_SKIP_MESSAGE})`);
      this.skip();
    }
    const outDir = join(folder, 'out');
    await exportEmbeddings(items, store, outDir);
    const loaded = runPythonJson<{ shape: number[]; rows: string[][]; values: number[] }>(
      [
        'import csv, json, sys, numpy',
        "a = numpy.load(sys.argv[1] + '/embeddings.npy')",
        "rows = list(csv.reader(open(sys.argv[1] + '/index.csv', newline='', encoding='utf-8')))",
        "print(json.dumps({'shape': list(a.shape), 'rows': rows, 'values': a.astype(float).ravel().tolist()}))",
      ].join('\n'),
      [outDir],
    );
    assert.deepEqual(loaded.shape, [5, DIM]);
    assert.deepEqual(loaded.rows[0], ['row', 'path', 'label']);
    assert.deepEqual(
      loaded.rows.slice(1).map((row) => row[1]),
      exportedPaths,
    );
    assert.deepEqual(loaded.rows[2], ['1', 'unlabeled/u1.png', '']);
    assert.deepEqual(loaded.rows[3][2], 'dogs, "big"');
    assert.deepEqual(loaded.values.slice(3 * DIM, 4 * DIM), Array.from(vectorFor('newline')));
  });

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
