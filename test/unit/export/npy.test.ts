import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyFloat32Header, NpyFloat32Writer, parseNpyFloat32, readNpy } from '../../../src/core/export/npy';
import { writeSampleNpy } from '../../support/exportSamples';

describe('NPY writer', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-npy-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

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
    const matrix = await writeSampleNpy(path);
    const bytes = await readFile(path);
    assert.equal(bytes.length, 128 + 7 * 3 * 4);
    const read = await readNpy(path);
    assert.deepEqual(read.shape, [7, 3]);
    assert.deepEqual(read.data, matrix);
    assert.ok(Object.is(read.data[1], -0), 'signed zero survives');
    assert.deepEqual(await readdir(folder), ['m.npy']);
  });

  // Loaded by numpy: test/system/export/numpy.test.ts.

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
    await writeSampleNpy(path);
    const bytes = await readFile(path);
    assert.throws(() => parseNpyFloat32(bytes.subarray(0, bytes.length - 4)), /needs 84/);
    const float64 = Buffer.from(bytes);
    float64.write("'<f8'", bytes.indexOf("'<f4'"), 'latin1');
    assert.throws(() => parseNpyFloat32(float64), /'<f4'/);
    assert.throws(() => parseNpyFloat32(Buffer.from('PK\x03\x04 not npy')), /Not an NPY file/);
  });
});
