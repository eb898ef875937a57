import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveCacheDir } from '../../../src/core/workspace/cacheDir';
import { resolveInsideRoot } from '../../../src/core/workspace/insideRoot';
import { tempDir } from '../../support/paths';

describe('resolveInsideRoot', () => {
  it('resolves files inside the root and refuses every way out', async () => {
    const { dir, cleanup } = await tempDir('inside');
    try {
      const root = join(dir, 'root');
      await mkdir(join(root, 'cat'), { recursive: true });
      await writeFile(join(root, 'cat', 'a b.png'), 'x');
      await writeFile(join(dir, 'secret.txt'), 'x');
      await symlink(join(dir, 'secret.txt'), join(root, 'cat', 'link.png'));
      assert.equal(await resolveInsideRoot(root, 'cat/a b.png'), join(root, 'cat', 'a b.png'));
      assert.equal(await resolveInsideRoot(root, 'cat\\a b.png'), join(root, 'cat', 'a b.png'));
      for (const bad of ['../secret.txt', 'cat/../../secret.txt', join(dir, 'secret.txt'), 'C:\\Windows\\win.ini', 'c:secret', 'cat/link.png', 'cat/missing.png', '']) {
        assert.equal(await resolveInsideRoot(root, bad), undefined, bad);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('resolveCacheDir', () => {
  it('defaults to <root>/.curator and separates roots with the same name under a shared location', () => {
    assert.equal(resolveCacheDir('/data/a', ''), '/data/a/.curator');
    const one = resolveCacheDir('/x/data', '/cache');
    const two = resolveCacheDir('/y/data', '/cache');
    assert.ok(one.startsWith('/cache/data-') && two.startsWith('/cache/data-'));
    assert.notEqual(one, two);
    assert.throws(() => resolveCacheDir('/data/a', 'relative/path'), /absolute/);
  });
});
