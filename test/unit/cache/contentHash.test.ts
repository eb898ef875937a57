import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFileContent, hashFileContentSync, isContentHash } from '../../../src/core/util/contentHash';
import { crc32, portableCrc32 } from '../../../src/core/cache/crc32';

describe('content hashing', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-hash-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('hashes a small file to the known SHA-256', async () => {
    const path = join(folder, 'abc.txt');
    await writeFile(path, 'abc');
    assert.equal(await hashFileContent(path), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(hashFileContentSync(path), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a file larger than one read chunk like a one-shot hash', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const path = join(folder, 'big.bin');
    await writeFile(path, bytes);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const actual = await hashFileContent(path);
    assert.equal(actual, expected);
    assert.ok(isContentHash(actual));
    // The synchronous variant reuses one chunk buffer: a small file after the big one must not see its bytes.
    assert.equal(hashFileContentSync(path), expected);
    assert.equal(hashFileContentSync(join(folder, 'abc.txt')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reports a missing file from the synchronous variant as an error with its code', () => {
    assert.throws(() => hashFileContentSync(join(folder, 'missing.bin')), /ENOENT/);
  });

  it('computes the standard CRC-32 check value, also in pieces', () => {
    const bytes = Buffer.from('123456789');
    assert.equal(crc32(bytes), 0xcbf43926);
    assert.equal(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4))), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
    assert.equal(portableCrc32(bytes), 0xcbf43926);
    assert.equal(portableCrc32(bytes.subarray(4), portableCrc32(bytes.subarray(0, 4))), 0xcbf43926);
  });

  it('gives the same CRC-32 with and without zlib', () => {
    const bytes = Buffer.alloc(100_003);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) >>> 3;
    assert.equal(crc32(bytes), portableCrc32(bytes));
    assert.equal(crc32(bytes.subarray(500), crc32(bytes.subarray(0, 500))), portableCrc32(bytes));
  });
});
