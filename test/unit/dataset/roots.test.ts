import * as assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { findDatasetRoots, isAbortError } from '../../../src/core/dataset';
import { makeTempDir, put, removeTempDir } from './fixtures';

describe('dataset/findDatasetRoots', () => {
  let ws: string;
  beforeEach(async () => {
    ws = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(ws);
  });

  const found = async (options?: Parameters<typeof findDatasetRoots>[1]): Promise<string[]> =>
    (await findDatasetRoots(ws, options)).map((root) => root.slice(ws.length + 1).split('\\').join('/'));

  it('finds one root for class folders plus an unlabelled folder', async () => {
    for (let digit = 0; digit < 10; digit++) await put(ws, `mnist/${digit}/x.png`, 'png');
    await put(ws, 'mnist/unlabeled/y.png', 'png');
    assert.deepEqual(await found(), ['mnist']);
  });

  it('finds several roots, sorted, and does not descend below a root', async () => {
    await put(ws, 'b/x/1.jpg', 'jpeg');
    await put(ws, 'b/y/2.jpg', 'jpeg');
    await put(ws, 'a/cat/1.png', 'png');
    await put(ws, 'a/dog/2.png', 'png');
    await put(ws, 'a/cat/inner/lion/3.png', 'png');
    await put(ws, 'deep/er/still/c/k/4.webp', 'webp');
    assert.deepEqual(await found(), ['a', 'b', 'deep/er/still/c']);
  });

  it('recognises roots by manifest, cache folder or unlabelled folder alone', async () => {
    await put(ws, 'by-csv/labels.csv', { text: 'path,label\n' });
    await put(ws, 'by-jsonl/labels.jsonl', { text: '' });
    await mkdir(join(ws, 'by-cache', '.curator'), { recursive: true });
    await mkdir(join(ws, 'by-unlabelled', 'unlabeled'), { recursive: true });
    await mkdir(join(ws, 'by-custom', 'inbox'), { recursive: true });
    assert.deepEqual(await found(), ['by-cache', 'by-csv', 'by-jsonl', 'by-unlabelled']);
    assert.deepEqual(await found({ unlabeledFolderName: 'inbox' }), ['by-cache', 'by-csv', 'by-custom', 'by-jsonl']);
  });

  it('ignores non-image files, hidden folders and node_modules', async () => {
    await put(ws, 'docs/guide/readme.md', { text: '#' });
    await put(ws, '.git/objects/a.png', 'png');
    await put(ws, '.venv/lib/cat/a.png', 'png');
    await put(ws, 'node_modules/pkg/cat/a.png', 'png');
    await put(ws, 'web/node_modules/icons/a.png', 'png');
    assert.deepEqual(await found(), []);
  });

  it('returns only the folder itself when it is a root', async () => {
    await put(ws, 'cat/a.png', 'png');
    await put(ws, 'nested/dog/b.png', 'png');
    assert.deepEqual(await findDatasetRoots(ws), [ws]);
  });

  it('counts a symlinked class folder but does not search through symlinks', async () => {
    await put(ws, 'store/cat/a.png', 'png');
    await mkdir(join(ws, 'linked'));
    await symlink(join(ws, 'store', 'cat'), join(ws, 'linked', 'cat'));
    await symlink(ws, join(ws, 'store', 'loop'));
    assert.deepEqual(await found(), ['linked', 'store']);
  });

  it('uses explicit roots instead of searching, resolved against the folder', async () => {
    await put(ws, 'a/cat/1.png', 'png');
    const elsewhere = join(ws, 'elsewhere');
    assert.deepEqual(await findDatasetRoots(ws, { explicitRoots: ['z', elsewhere, './z', 'data/x'] }), [
      join(ws, 'data', 'x'),
      elsewhere,
      join(ws, 'z'),
    ]);
    assert.deepEqual(await found({ explicitRoots: [] }), ['a']);
  });

  it('stops with an AbortError when its signal fires', async () => {
    await put(ws, 'a/cat/1.png', 'png');
    await assert.rejects(findDatasetRoots(ws, { signal: AbortSignal.abort() }), (error) => isAbortError(error));
  });
});
