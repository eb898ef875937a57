// The embedding cache's lock against other processes: a live holder is named and left alone, the
// lock of a process that no longer runs is taken over. The other processes are real child processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheLockedError } from '../../../src/core/cache/cacheLockedError';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';

const MODEL = 'test-model';

describe('EmbeddingStore', () => {
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'curator-store-'));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  describe('lock held by another process', () => {
    let sleeper: ChildProcess | undefined;
    afterEach(() => {
      sleeper?.kill();
      sleeper = undefined;
    });

    const lockPath = (): string => join(cacheDir, 'models', `${MODEL}.lock`);

    it('names the live process that holds the lock', async () => {
      sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await mkdir(join(cacheDir, 'models'), { recursive: true });
      const owner = { pid: sleeper.pid, hostname: hostname(), acquiredAt: new Date().toISOString(), token: 'other' };
      await writeFile(lockPath(), JSON.stringify(owner));
      await assert.rejects(EmbeddingStore.open(cacheDir, MODEL), (error: unknown) => {
        assert.ok(error instanceof CacheLockedError);
        assert.match(error.message, new RegExp(`process ${sleeper!.pid} on`));
        assert.ok(error.message.includes(lockPath()));
        return true;
      });
      // The refused open must leave the other process's lock alone.
      assert.equal(JSON.parse(await readFile(lockPath(), 'utf8')).token, 'other');
    });

    it('takes over a lock left by a process that no longer runs', async () => {
      const finished = spawnSync(process.execPath, ['-e', '']);
      await mkdir(join(cacheDir, 'models'), { recursive: true });
      const owner = { pid: finished.pid, hostname: hostname(), acquiredAt: '2020-01-01T00:00:00Z', token: 'crashed' };
      await writeFile(lockPath(), JSON.stringify(owner));
      const store = await EmbeddingStore.open(cacheDir, MODEL);
      assert.equal(JSON.parse(await readFile(lockPath(), 'utf8')).pid, process.pid);
      await store.close();
      await assert.rejects(stat(lockPath()), { code: 'ENOENT' });
    });
  });
});
