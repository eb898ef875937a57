// labels.csv locked by another process (a real child process): the writer waits, then gives up
// with a message naming the manifest and that process, and leaves both the file and the lock alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ManifestLabelWriter, ManifestLockTimeoutError } from '../../../src/core/labels';
import { tempDir } from '../../support/paths';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55', 'hex');

describe('ManifestLabelWriter: CSV', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('labels-manifest'));
    await writeFile(join(root, 'a.png'), PNG);
    await writeFile(join(root, 'labels.csv'), 'path,label\na.png,\n');
  });
  afterEach(async () => cleanup?.());

  it('waits for another process\'s write, then gives up with a message naming the manifest and that process', async () => {
    const writer = await ManifestLabelWriter.open(root, { lock: { timeoutMs: 200 } });
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const lock = join(root, '.labels.csv.lock');
      await writeFile(lock, JSON.stringify({ pid: other.pid, hostname: hostname(), acquiredAt: '2020-01-01T00:00:00.000Z', token: 'other' }));
      await assert.rejects(writer.apply([{ relPath: 'a.png', label: 'cat' }]), (error: unknown) => {
        assert.ok(error instanceof ManifestLockTimeoutError);
        assert.match(error.message, new RegExp(`^labels\\.csv is being written by process ${other.pid} on .+; try again in a moment \\(lock file: .+\\.labels\\.csv\\.lock\\)\\.$`));
        return true;
      });
      assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\na.png,\n', 'nothing was written');
      assert.equal(JSON.parse(await readFile(lock, 'utf8')).token, 'other', 'the other process\'s lock is left alone');
    } finally {
      other.kill();
    }
  });
});
