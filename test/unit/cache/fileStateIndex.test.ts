import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFileContent } from '../../../src/core/util/contentHash';
import { FileStateIndex } from '../../../src/core/cache/fileStateIndex';

describe('FileStateIndex', () => {
  let root: string;
  let indexPath: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'curator-index-'));
    await mkdir(join(root, 'cats'));
    indexPath = join(root, 'file-state.json');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('starts empty when nothing was saved', async () => {
    const index = await FileStateIndex.load(indexPath);
    assert.equal(index.size, 0);
    assert.equal(index.loadProblem, undefined);
  });

  it('reuses the stored hash while size and mtime are unchanged, and re-hashes once they change', async () => {
    const relPath = 'cats/a.png';
    const file = join(root, relPath);
    await writeFile(file, 'AAAA');
    // Whole seconds, so restoring the same mtime below is exact on every file system.
    const mtime = 1_700_000_000;
    await utimes(file, mtime, mtime);
    const index = await FileStateIndex.load(indexPath);
    const first = await index.hashOf(root, relPath);
    assert.equal(first, await hashFileContent(file));

    // Same size, same mtime, different bytes: only a re-hash would notice, so an unchanged
    // answer proves the file was not read again.
    await writeFile(file, 'BBBB');
    await utimes(file, mtime, mtime);
    assert.equal(await index.hashOf(root, relPath), first);

    await utimes(file, mtime, mtime + 5);
    const second = await index.hashOf(root, relPath);
    assert.notEqual(second, first);
    assert.equal(second, await hashFileContent(file));
  });

  it('saves, reloads, and drops entries for files that are gone', async () => {
    await writeFile(join(root, 'cats/a.png'), 'a');
    await writeFile(join(root, 'cats/b.png'), 'b');
    const index = await FileStateIndex.load(indexPath);
    const hashA = await index.hashOf(root, 'cats/a.png');
    await index.hashOf(root, 'cats/b.png');
    await index.save();

    const reloaded = await FileStateIndex.load(indexPath);
    assert.equal(reloaded.size, 2);
    const stateA = reloaded.get('cats/a.png');
    assert.equal(stateA?.hash, hashA);
    assert.equal(reloaded.lookup('cats/a.png', stateA!.size, stateA!.mtimeMs), hashA);
    assert.equal(reloaded.lookup('cats/a.png', stateA!.size + 1, stateA!.mtimeMs), undefined);

    assert.equal(reloaded.retainOnly(['cats/a.png']), 1);
    assert.equal(reloaded.get('cats/b.png'), undefined);
    await reloaded.save();
    const saved = JSON.parse(await readFile(indexPath, 'utf8')) as { files: Record<string, unknown> };
    assert.deepEqual(Object.keys(saved.files), ['cats/a.png']);
  });

  it('rejects entries that are not SHA-256 digests', async () => {
    const index = await FileStateIndex.load(indexPath);
    assert.throws(() => index.update('x.png', { size: 1, mtimeMs: 1, hash: 'not-a-hash' }), /SHA-256/);
  });

  it('starts over, and says why, when the saved index is damaged', async () => {
    await writeFile(indexPath, '{"version":1,"files":{"a.png":{"size":1');
    const index = await FileStateIndex.load(indexPath);
    assert.equal(index.size, 0);
    assert.match(index.loadProblem ?? '', /file-state\.json/);
  });
});
