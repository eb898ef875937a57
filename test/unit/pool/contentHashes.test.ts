// Content hashes of a scan's images: small files go through synchronous runs, large ones through
// asynchronous streams, and both must give the file's SHA-256 and remember it for the next run.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageEntry } from '../../../src/core/dataset/types';
import { hashImages } from '../../../src/core/pool/contentHashes';

describe('jobs/hashImages', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curator-hashes-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const entry = async (name: string, bytes?: Buffer): Promise<ImageEntry> => {
    const absPath = join(dir, 'root', name);
    if (bytes) await writeFile(absPath, bytes);
    const stats = bytes ? await stat(absPath) : { size: 10, mtimeMs: 1 };
    return { relPath: name, absPath, label: null, labelSource: null, size: stats.size, mtimeMs: stats.mtimeMs, format: 'png' };
  };

  it('hashes small and large files alike, reports a missing one, and reads only changed files the next time', async () => {
    await rm(join(dir, 'root'), { recursive: true, force: true });
    await mkdir(join(dir, 'root'));
    const small = Buffer.from('small image bytes');
    const large = Buffer.alloc(5 * 1024 * 1024 + 3, 7); // above the synchronous-run limit
    const images = [await entry('small.png', small), await entry('large.png', large), await entry('missing.png')];
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const cacheDir = join(dir, 'cache');

    let hashed = 0;
    const first = await hashImages(images, cacheDir, { onProgress: (done) => (hashed = done) });
    assert.equal(first.byPath.get('small.png'), sha(small));
    assert.equal(first.byPath.get('large.png'), sha(large));
    assert.deepEqual(first.failures.map((failure) => failure.relPath), ['missing.png']);
    assert.match(first.failures[0].message, /^could not be read: .*ENOENT/);
    assert.equal(hashed, 3);

    hashed = 0;
    const again = await hashImages(images.slice(0, 2), cacheDir, { onProgress: (done) => (hashed = done) });
    assert.equal(again.byPath.get('large.png'), sha(large));
    assert.equal(hashed, 0, 'unchanged files come from the file-state index');
  });
});
