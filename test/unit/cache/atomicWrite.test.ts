import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../src/core/util/atomicWrite';

describe('writeFileAtomic', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'curator-atomic-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('creates and then replaces a file', async () => {
    const target = join(folder, 'state.json');
    await writeFileAtomic(target, '{"v":1}');
    assert.equal(await readFile(target, 'utf8'), '{"v":1}');
    await writeFileAtomic(target, Buffer.from('{"v":2}'));
    assert.equal(await readFile(target, 'utf8'), '{"v":2}');
    assert.deepEqual(await readdir(folder), ['state.json']);
  });

  it('leaves the old content and no temp file when writing fails midway', async () => {
    const target = join(folder, 'state.json');
    await writeFile(target, 'old content');
    async function* failingSource(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('new content, first half');
      throw new Error('disk full');
    }
    await assert.rejects(writeFileAtomic(target, failingSource()), /disk full/);
    assert.equal(await readFile(target, 'utf8'), 'old content');
    assert.deepEqual(await readdir(folder), ['state.json']);
  });

  it('fails without touching anything when the folder does not exist', async () => {
    await assert.rejects(writeFileAtomic(join(folder, 'missing', 'state.json'), 'x'), { code: 'ENOENT' });
    assert.deepEqual(await readdir(folder), []);
  });
});
