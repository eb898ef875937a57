// Labelling outside the editor (`curator label`): the run, its journal, and undo from the journal,
// on folder and manifest datasets, including a run stopped halfway and files changed since.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { undoLastLabels, writeLabels, type WriteLabelsParams } from '../../../src/core/jobs/writeLabels';
import { journalPathFor, newJournal, writeJournal } from '../../../src/core/labels/labelJournal';
import { moveWithoutOverwrite, TargetExistsError } from '../../../src/core/labels/moveWithoutOverwrite';
import { isAbortError } from '../../../src/core/util/abort';
import { tempDir } from '../../support/paths';

async function touch(root: string, relPath: string): Promise<void> {
  await mkdir(join(root, relPath, '..'), { recursive: true });
  await writeFile(join(root, relPath), `content of ${relPath}`);
}

/** Every file under the root except the cache, as "path: content". */
function snapshot(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(root.length + 1))
    .filter((path) => !path.startsWith('.curator'))
    .sort()
    .map((path) => `${path}: ${readFileSync(join(root, path), 'utf8')}`);
}

describe('writeLabels and undoLastLabels (curator label)', () => {
  let root: string;
  let params: WriteLabelsParams;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('write-labels'));
    params = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(root, '.curator') };
    for (const file of ['cat/a.png', 'dog/b.png', 'unlabeled/u1.png', 'unlabeled/batch-2/u2.png', 'unlabeled/u3.png']) await touch(root, file);
  });
  afterEach(() => cleanup());

  it('moves files into class folders, journals the run, and undo puts every file back where it was', async () => {
    const before = snapshot(root);
    const result = await writeLabels(params, [
      { relPath: 'unlabeled/u1.png', label: 'cat' },
      { relPath: 'unlabeled/batch-2/u2.png', label: 'bird' },
      { relPath: 'cat/a.png', label: null },
      { relPath: 'dog/b.png', label: 'dog' },
      { relPath: 'unlabeled/missing.png', label: 'cat' },
    ]);
    assert.equal(result.mode, 'folder');
    assert.deepEqual(result.applied.map((change) => `${change.oldRelPath} -> ${change.newRelPath}`), ['unlabeled/u1.png -> cat/u1.png', 'unlabeled/batch-2/u2.png -> bird/u2.png', 'cat/a.png -> unlabeled/a.png']);
    assert.deepEqual(result.unchanged, [{ relPath: 'dog/b.png', label: 'dog' }]);
    assert.match(result.refused[0]!.reason, /unlabeled\/missing\.png does not exist/);
    assert.equal(readFileSync(join(root, 'bird', 'u2.png'), 'utf8'), 'content of unlabeled/batch-2/u2.png');
    assert.ok(result.journalPath && existsSync(result.journalPath));
    assert.equal(JSON.parse(readFileSync(result.journalPath, 'utf8')).state, 'finished');

    const undone = await undoLastLabels(params);
    assert.equal(undone.restored.length, 3);
    assert.deepEqual(undone.refused, []);
    // Back in their own sub-folder, not just their old class.
    assert.deepEqual(snapshot(root), before);
    await assert.rejects(undoLastLabels(params), /Nothing to undo/);
  });

  it('a dry run says what would move and writes nothing', async () => {
    const before = snapshot(root);
    const result = await writeLabels(params, [{ relPath: 'unlabeled/u1.png', label: 'cat' }], { dryRun: true });
    assert.deepEqual(result.applied.map((change) => change.newRelPath), ['cat/u1.png']);
    assert.equal(result.journalPath, undefined);
    assert.deepEqual(snapshot(root), before);
    assert.ok(!existsSync(params.cacheDir), 'no journal folder either');
  });

  it('a run cancelled halfway keeps and journals the moves made, which undo reverses', async () => {
    const before = snapshot(root);
    const controller = new AbortController();
    const changes = ['unlabeled/u1.png', 'unlabeled/batch-2/u2.png', 'unlabeled/u3.png'].map((relPath) => ({ relPath, label: 'cat' }));
    await assert.rejects(
      writeLabels(params, changes, { signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() }),
      (error: unknown) => isAbortError(error),
    );
    assert.ok(existsSync(join(root, 'cat', 'u1.png')) && existsSync(join(root, 'unlabeled', 'u3.png')), 'one moved, the rest not');
    const undone = await undoLastLabels(params);
    assert.deepEqual(undone.restored.map((change) => change.newRelPath), ['unlabeled/u1.png']);
    assert.deepEqual(snapshot(root), before);
  });

  it('after a run killed mid-move (journal "started", one file under both names), undo restores the disk as it was', async () => {
    const before = snapshot(root);
    const createdAt = new Date();
    const planned = [
      { oldRelPath: 'unlabeled/u1.png', newRelPath: 'cat/u1.png', oldLabel: null, newLabel: 'cat' },
      { oldRelPath: 'unlabeled/u3.png', newRelPath: 'cat/u3.png', oldLabel: null, newLabel: 'cat' },
      { oldRelPath: 'dog/b.png', newRelPath: 'cat/b.png', oldLabel: 'dog', newLabel: 'cat' },
    ];
    // Written by a process that has exited since (a live one's run is still in progress: undo waits for it).
    const killed = { ...newJournal('folder', 'cli', createdAt, 'started', planned), writer: { pid: spawnSync(process.execPath, ['-e', '']).pid!, hostname: hostname() } };
    await writeJournal(journalPathFor(params.cacheDir, createdAt), killed);
    // The first move finished, the second was killed between its link and its unlink, the third never ran.
    await moveWithoutOverwrite(join(root, 'unlabeled', 'u1.png'), join(root, 'cat', 'u1.png'));
    await link(join(root, 'unlabeled', 'u3.png'), join(root, 'cat', 'u3.png'));

    const undone = await undoLastLabels(params);
    assert.deepEqual(undone.restored.map((change) => change.newRelPath).sort(), ['unlabeled/u1.png', 'unlabeled/u3.png']);
    assert.deepEqual(undone.notApplied.map((change) => change.oldRelPath), ['dog/b.png']);
    assert.deepEqual(snapshot(root), before);
  });

  it('undo never overwrites: a file that took an old name since keeps it, and the moved file stays', async () => {
    await writeLabels(params, [{ relPath: 'unlabeled/u1.png', label: 'cat' }]);
    await touch(root, 'unlabeled/u1.png');
    const undone = await undoLastLabels(params);
    assert.equal(undone.restored.length, 0);
    assert.match(undone.refused[0]!.reason, /another file now has its old name unlabeled\/u1\.png/);
    assert.equal(readFileSync(join(root, 'cat', 'u1.png'), 'utf8'), 'content of unlabeled/u1.png');
    assert.equal(readFileSync(join(root, 'unlabeled', 'u1.png'), 'utf8'), 'content of unlabeled/u1.png');
  });

  it('moveWithoutOverwrite refuses a taken name and leaves both files', async () => {
    await assert.rejects(moveWithoutOverwrite(join(root, 'cat', 'a.png'), join(root, 'dog', 'b.png')), TargetExistsError);
    assert.equal(readFileSync(join(root, 'cat', 'a.png'), 'utf8'), 'content of cat/a.png');
    assert.equal(readFileSync(join(root, 'dog', 'b.png'), 'utf8'), 'content of dog/b.png');
  });

  it('on a manifest dataset rewrites labels.csv, and undo writes back only rows nobody changed since', async () => {
    await writeFile(join(root, 'labels.csv'), 'path,label,source\nunlabeled/u1.png,,camera\nunlabeled/u3.png,,camera\ncat/a.png,cat,web\n');
    const result = await writeLabels(params, [
      { relPath: 'unlabeled/u1.png', label: 'cat' },
      { relPath: 'unlabeled/u3.png', label: 'dog' },
      { relPath: 'cat/a.png', label: 'cat' },
    ]);
    assert.equal(result.mode, 'manifest');
    assert.equal(result.applied.length, 2);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label,source\nunlabeled/u1.png,cat,camera\nunlabeled/u3.png,dog,camera\ncat/a.png,cat,web\n');
    // Someone relabels one of the two rows before the undo.
    await writeFile(join(root, 'labels.csv'), 'path,label,source\nunlabeled/u1.png,cat,camera\nunlabeled/u3.png,bird,camera\ncat/a.png,cat,web\n');
    const undone = await undoLastLabels(params);
    assert.deepEqual(undone.restored.map((change) => change.newRelPath), ['unlabeled/u1.png']);
    assert.match(undone.refused[0]!.reason, /unlabeled\/u3\.png was relabelled since \(now "bird"\)/);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label,source\nunlabeled/u1.png,,camera\nunlabeled/u3.png,bird,camera\ncat/a.png,cat,web\n');
  });

  it('refuses to undo a folder run once the root has become a manifest dataset', async () => {
    await writeLabels(params, [{ relPath: 'unlabeled/u1.png', label: 'cat' }]);
    await writeFile(join(root, 'labels.csv'), 'path,label\n');
    await assert.rejects(undoLastLabels(params), /records a folder dataset, but .* now stores labels in a manifest; nothing was undone/);
    assert.ok(existsSync(join(root, 'cat', 'u1.png')));
  });
});
