import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyFloat32Header, NpyFloat32Writer, parseNpyFloat32, readNpy } from '../../../src/core/export/npy';
import { isNumpyAvailable, NUMPY_SKIP_MESSAGE, runPythonJson } from './pythonNumpy';

describe('NPY writer', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-npy-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** 7 x 3 values with negatives, fractions, tiny and huge magnitudes and a signed zero. */
  function sampleMatrix(): Float32Array {
    const values = [0, -0, 1, -1.5, 3.25, 1e-30, -1e30, 0.1, Math.PI, -(2 ** 20), 65504.5, 7e-8, 42, -42, 1 / 3, 2.5, -0.75, 1e10, 9, 8, 7];
    return Float32Array.from(values);
  }

  async function writeSample(path: string): Promise<Float32Array> {
    const matrix = sampleMatrix();
    const writer = await NpyFloat32Writer.create(path, 7, 3);
    // Uneven batches: rows arrive in several writes, as during an export.
    await writer.writeRows(matrix.subarray(0, 6));
    await writer.writeRows(matrix.subarray(6, 9));
    await writer.writeRows(matrix.subarray(9));
    await writer.finish();
    return matrix;
  }

  it('writes a version 1.0 header whose length is a multiple of 64', () => {
    const header = npyFloat32Header([100000, 1280]);
    assert.equal(header.length % 64, 0);
    assert.deepEqual([...header.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    assert.equal(header.readUInt16LE(8), header.length - 10);
    const dict = header.toString('latin1', 10);
    assert.ok(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 1280), }"));
    assert.ok(dict.endsWith(' \n'));
    assert.ok(npyFloat32Header([5]).toString('latin1').includes("'shape': (5,), }"));
  });

  it('round-trips rows written in batches through our reader', async () => {
    const path = join(folder, 'm.npy');
    const matrix = await writeSample(path);
    const bytes = await readFile(path);
    assert.equal(bytes.length, 128 + 7 * 3 * 4);
    const read = await readNpy(path);
    assert.deepEqual(read.shape, [7, 3]);
    assert.deepEqual(read.data, matrix);
    assert.ok(Object.is(read.data[1], -0), 'signed zero survives');
    assert.deepEqual(await readdir(folder), ['m.npy']);
  });

  it('loads in numpy with the same shape, dtype and values', async function () {
    if (!isNumpyAvailable()) {
      console.log(`      (${NUMPY_SKIP_MESSAGE})`);
      this.skip();
    }
    const path = join(folder, 'm.npy');
    const matrix = await writeSample(path);
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

  it('refuses to finish with rows missing and leaves no file behind', async () => {
    const path = join(folder, 'short.npy');
    const writer = await NpyFloat32Writer.create(path, 4, 2);
    await writer.writeRows(new Float32Array(6));
    await assert.rejects(writer.finish(), /3 of 4 rows/);
    assert.deepEqual(await readdir(folder), []);
  });

  it('refuses more rows than declared and partial rows', async () => {
    const writer = await NpyFloat32Writer.create(join(folder, 'x.npy'), 1, 2);
    await assert.rejects(writer.writeRows(new Float32Array(3)), /whole rows/);
    await assert.rejects(writer.writeRows(new Float32Array(4)), /exceed the 1 declared/);
    await writer.abort();
    assert.deepEqual(await readdir(folder), []);
  });

  it('reader rejects files that are not float32 NPY or whose size does not match the header', async () => {
    const path = join(folder, 'm.npy');
    await writeSample(path);
    const bytes = await readFile(path);
    assert.throws(() => parseNpyFloat32(bytes.subarray(0, bytes.length - 4)), /needs 84/);
    const float64 = Buffer.from(bytes);
    float64.write("'<f8'", bytes.indexOf("'<f4'"), 'latin1');
    assert.throws(() => parseNpyFloat32(float64), /'<f4'/);
    assert.throws(() => parseNpyFloat32(Buffer.from('PK\x03\x04 not npy')), /Not an NPY file/);
  });
});
