// The one lock-file primitive behind the embedding cache and the labels manifest: refusing at once
// or waiting, breaking only locks whose holder is gone (or that are debris), and never removing a
// lock someone else holds. Other processes are real child processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock, FileLockedError, withFileLock } from '../../../src/core/util/fileLock';
import { tempDir } from '../../support/paths';

describe('fileLock', function () {
  this.timeout(20_000);
  let folder: string;
  let cleanup: () => Promise<void>;
  let sleeper: ChildProcess | undefined;
  const lockPath = (): string => join(folder, '.data.lock');
  beforeEach(async () => {
    ({ dir: folder, cleanup } = await tempDir('file-lock'));
  });
  afterEach(async () => {
    sleeper?.kill();
    sleeper = undefined;
    await cleanup();
  });

  /** A process that runs until killed, to hold a lock as a live holder. */
  function liveProcess(): number {
    sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    return sleeper.pid!;
  }
  /** The pid of a process that has already exited. */
  function deadPid(): number {
    return spawnSync(process.execPath, ['-e', '']).pid!;
  }
  const holderRecord = (pid: number, host = hostname()) => JSON.stringify({ pid, hostname: host, acquiredAt: '2020-01-01T00:00:00.000Z', token: 'theirs' });
  async function age(path: string, seconds: number): Promise<void> {
    const then = new Date(Date.now() - seconds * 1000);
    await utimes(path, then, then);
  }

  it('takes, names its holder, and releases', async () => {
    const lock = await acquireFileLock(lockPath());
    const holder = JSON.parse(await readFile(lockPath(), 'utf8'));
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.hostname, hostname());
    await lock.release();
    assert.deepEqual(await readdir(folder), [], 'no lock and no temp file is left');
  });

  it('refuses at once while a live process holds it, names that process and leaves its lock alone', async () => {
    const pid = liveProcess();
    await writeFile(lockPath(), holderRecord(pid));
    await assert.rejects(acquireFileLock(lockPath()), (error: unknown) => {
      assert.ok(error instanceof FileLockedError);
      assert.match(error.message, new RegExp(`held by process ${pid} on ${hostname()} since 2020-01-01`));
      assert.equal(error.holder?.pid, pid);
      return true;
    });
    assert.equal(await readFile(lockPath(), 'utf8'), holderRecord(pid));
  });

  it('waits for the holder to let go when asked to wait', async () => {
    const first = await acquireFileLock(lockPath());
    setTimeout(() => void first.release(), 150);
    const second = await acquireFileLock(lockPath(), { waitMs: 10_000 });
    assert.notEqual(JSON.parse(await readFile(lockPath(), 'utf8')).token, '');
    await second.release();
    assert.deepEqual(await readdir(folder), []);
  });

  it('gives up after waiting, with the error the caller chose', async () => {
    const first = await acquireFileLock(lockPath());
    await assert.rejects(acquireFileLock(lockPath(), { waitMs: 100, lockedError: (path, holder) => new Error(`busy: ${path} by ${holder?.pid}`) }), new RegExp(`busy: .*by ${process.pid}`));
    await first.release();
  });

  it('breaks a lock whose holder no longer runs', async () => {
    await writeFile(lockPath(), holderRecord(deadPid()));
    const lock = await acquireFileLock(lockPath());
    assert.equal(JSON.parse(await readFile(lockPath(), 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('reads the holder of a manifest lock written by an earlier version ("host", no token)', async () => {
    const pid = liveProcess();
    await writeFile(lockPath(), JSON.stringify({ pid, host: hostname(), acquiredAt: '2020-01-01T00:00:00.000Z' }));
    await assert.rejects(acquireFileLock(lockPath()), new RegExp(`process ${pid}`));
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), host: hostname(), acquiredAt: '2020-01-01T00:00:00.000Z' }));
    await (await acquireFileLock(lockPath())).release();
  });

  it('respects a lock from another host, unless told when such a lock counts as abandoned', async () => {
    await writeFile(lockPath(), holderRecord(1, 'another-machine'));
    await age(lockPath(), 120);
    await assert.rejects(acquireFileLock(lockPath()), /held by process 1 on another-machine/);
    await assert.rejects(acquireFileLock(lockPath(), { otherHostStaleAfterMs: 600_000 }), FileLockedError);
    const lock = await acquireFileLock(lockPath(), { otherHostStaleAfterMs: 60_000 });
    assert.equal(JSON.parse(await readFile(lockPath(), 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('treats an unreadable lock as being created, and as debris once it is old', async () => {
    await writeFile(lockPath(), '');
    await assert.rejects(acquireFileLock(lockPath()), /held by another process/);
    await age(lockPath(), 60);
    await (await acquireFileLock(lockPath())).release();
  });

  it('release leaves a lock that is no longer its own', async () => {
    const lock = await acquireFileLock(lockPath());
    await writeFile(lockPath(), holderRecord(process.pid)); // as if broken and re-taken by someone else
    await lock.release();
    assert.equal(JSON.parse(await readFile(lockPath(), 'utf8')).token, 'theirs');
  });

  it('removes the temp files of creators that were killed, and keeps those of live ones', async () => {
    const dead = `.data.lock.${deadPid()}.0a1b2c.tmp`;
    const live = `.data.lock.${liveProcess()}.0a1b2c.tmp`;
    await writeFile(join(folder, dead), 'x');
    await writeFile(join(folder, live), 'x');
    await (await acquireFileLock(lockPath())).release();
    assert.deepEqual(await readdir(folder), [live]);
  });

  it('lets one holder at a time in: concurrent read-increment-write under the lock loses no update', async () => {
    const counter = join(folder, 'counter');
    await writeFile(counter, '0');
    const increments = async (): Promise<void> => {
      for (let i = 0; i < 25; i++) {
        await withFileLock(
          lockPath(),
          async () => {
            const value = Number(await readFile(counter, 'utf8'));
            await new Promise((resolve) => setImmediate(resolve)); // let the others run in between
            await writeFile(counter, String(value + 1));
          },
          { waitMs: 10_000 },
        );
      }
    };
    await Promise.all([increments(), increments(), increments(), increments()]);
    assert.equal(await readFile(counter, 'utf8'), '100');
    assert.deepEqual((await readdir(folder)).sort(), ['counter']);
  });
});
