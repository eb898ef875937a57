// Cross-checks of the export files against the readers data scientists actually use: numpy and
// Python's csv module, run as a python3 subprocess (skipped, and said so, where numpy is missing).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { exportEmbeddings } from '../../../src/core/export/exportEmbeddings';
import { EXPORT_DIM, exportedPaths, exportItems, storeWithExportVectors, vectorFor, writeSampleNpy } from '../../support/exportSamples';
import { isNumpyAvailable, NUMPY_SKIP_MESSAGE, runPythonJson } from './pythonNumpy';

describe('NPY writer', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-npy-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('loads in numpy with the same shape, dtype and values', async function () {
    if (!isNumpyAvailable()) {
      console.log(`      (${NUMPY_SKIP_MESSAGE})`);
      this.skip();
    }
    const path = join(folder, 'm.npy');
    const matrix = await writeSampleNpy(path);
    const loaded = runPythonJson<{ dtype: string; shape: number[]; fortran: boolean; values: number[] }>(
      [
        'import json, sys, numpy',
        'a = numpy.load(sys.argv[1])',
        "print(json.dumps({'dtype': str(a.dtype), 'shape': list(a.shape), 'fortran': bool(numpy.isfortran(a)), 'values': a.astype(float).ravel().tolist()}))",
      ].join('\n'),
      [path],
    );
    assert.equal(loaded.dtype, 'float32');
    assert.deepEqual(loaded.shape, [7, 3]);
    assert.equal(loaded.fortran, false);
    assert.deepEqual(loaded.values, Array.from(matrix));
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
    assert.deepEqual(loaded.shape, [5, EXPORT_DIM]);
    assert.deepEqual(loaded.rows[0], ['row', 'path', 'label']);
    assert.deepEqual(
      loaded.rows.slice(1).map((row) => row[1]),
      exportedPaths,
    );
    assert.deepEqual(loaded.rows[2], ['1', 'unlabeled/u1.png', '']);
    assert.deepEqual(loaded.rows[3][2], 'dogs, "big"');
    assert.deepEqual(loaded.values.slice(3 * EXPORT_DIM, 4 * EXPORT_DIM), Array.from(vectorFor('newline')));
  });
});
