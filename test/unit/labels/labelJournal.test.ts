// The label journal shared by the editor and `curator label`: every run is recorded through the
// same two writes (folder moves, manifest rewrites), and one undo reverses the newest run whoever
// made it, refusing what changed since and anything it cannot read.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { carryOutMoves } from '../../../src/core/labels/carryOutMoves';
import { planFolderMoves } from '../../../src/core/labels/folderMovePlan';
import { applyManifestJournalled, carryOutMovesJournalled } from '../../../src/core/labels/journalledWrites';
import { journalPathFor, labelJournalFolder, newJournal, readJournal, writeJournal, type LabelJournal, type LabelRunOrigin } from '../../../src/core/labels/labelJournal';
import { ManifestLabelWriter } from '../../../src/core/labels/manifestLabelWriter';
import { hasUndoableLabelRun, undoNewestLabelRun, type UndoLabelRunParams } from '../../../src/core/labels/undoLabelRun';
import type { LabelApplyResult, LabelChange } from '../../../src/core/labels/types';
import { tempDir } from '../../support/paths';

async function touch(root: string, relPath: string): Promise<void> {
  await mkdir(join(root, relPath, '..'), { recursive: true });
  await writeFile(join(root, relPath), `content of ${relPath}`);
}

/** The image files under the root (not the cache), sorted. */
function files(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .map((path) => path.split('\\').join('/'))
    .filter((path) => path.endsWith('.png'))
    .sort();
}

function journals(params: UndoLabelRunParams): LabelJournal[] {
  const folder = labelJournalFolder(params.cacheDir);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as LabelJournal);
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('label journal (shared by the editor and curator label)', () => {
  let root: string;
  let params: UndoLabelRunParams;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('label-journal'));
    params = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(root, '.curator') };
    for (const file of ['cat/a.png', 'unlabeled/u1.png', 'unlabeled/sub/u2.png', 'unlabeled/u3.png']) await touch(root, file);
  });
  afterEach(() => cleanup());

  /** A folder run as the label service and `curator label` make it: plan, then journalled moves on disk. */
  async function folderRun(origin: LabelRunOrigin, changes: LabelChange[]): Promise<LabelApplyResult & { journalPath?: string }> {
    const plan = await planFolderMoves(root, changes, 'unlabeled');
    const result: LabelApplyResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused };
    const journalPath = await carryOutMovesJournalled({ cacheDir: params.cacheDir, origin }, plan.moves, result, (moves, into) => carryOutMoves(moves, into));
    return { ...result, journalPath };
  }

  it('records a folder run (origin, writer, the applied moves) and undo puts the files back at their exact paths', async () => {
    const before = files(root);
    const run = await folderRun('editor', [{ relPath: 'unlabeled/sub/u2.png', label: 'dog' }, { relPath: 'cat/a.png', label: null }]);
    assert.equal(run.applied.length, 2);
    const [journal] = journals(params);
    assert.equal(journal!.version, 2);
    assert.equal(journal!.origin, 'editor');
    assert.equal(journal!.state, 'finished');
    assert.deepEqual(journal!.writer, { pid: process.pid, hostname: hostname() });
    assert.deepEqual(journal!.changes.map((change) => `${change.oldRelPath} -> ${change.newRelPath}`), ['unlabeled/sub/u2.png -> dog/u2.png', 'cat/a.png -> unlabeled/a.png']);
    assert.ok(await hasUndoableLabelRun(params.cacheDir));

    const undone = await undoNewestLabelRun(params, 'cli');
    assert.equal(undone?.run.origin, 'editor');
    assert.equal(undone?.restored.length, 2);
    assert.deepEqual(files(root), before);
    assert.deepEqual(journals(params)[0]!.undone?.origin, 'cli');
    assert.equal(journals(params)[0]!.state, 'undone');
    assert.equal(await undoNewestLabelRun(params, 'cli'), undefined, 'nothing left to undo');
    assert.ok(!(await hasUndoableLabelRun(params.cacheDir)));
  });

  it('a run that changes nothing leaves no journal', async () => {
    const run = await folderRun('editor', [{ relPath: 'cat/a.png', label: 'cat' }, { relPath: 'unlabeled/missing.png', label: 'cat' }]);
    assert.equal(run.journalPath, undefined);
    assert.ok(!existsSync(labelJournalFolder(params.cacheDir)) || readdirSync(labelJournalFolder(params.cacheDir)).length === 0);
  });

  it('undo takes the newest run whoever made it, then the one before', async () => {
    await folderRun('cli', [{ relPath: 'unlabeled/u1.png', label: 'cat' }]);
    await folderRun('editor', [{ relPath: 'unlabeled/u3.png', label: 'dog' }]);
    const first = await undoNewestLabelRun(params, 'cli');
    assert.equal(first?.run.origin, 'editor');
    assert.deepEqual(first?.restored.map((change) => change.newRelPath), ['unlabeled/u3.png']);
    assert.ok(existsSync(join(root, 'cat', 'u1.png')), 'the older run is still in place');
    const second = await undoNewestLabelRun(params, 'editor');
    assert.equal(second?.run.origin, 'cli');
    assert.deepEqual(second?.restored.map((change) => change.newRelPath), ['unlabeled/u1.png']);
  });

  it('two undos at once undo two different runs', async () => {
    await folderRun('cli', [{ relPath: 'unlabeled/u1.png', label: 'cat' }]);
    await folderRun('editor', [{ relPath: 'unlabeled/u3.png', label: 'dog' }]);
    const both = await Promise.all([undoNewestLabelRun(params, 'cli'), undoNewestLabelRun(params, 'editor')]);
    assert.deepEqual(both.map((result) => result?.run.origin).sort(), ['cli', 'editor']);
    assert.ok(existsSync(join(root, 'unlabeled', 'u1.png')) && existsSync(join(root, 'unlabeled', 'u3.png')));
  });

  it('refuses, with the reason, changes whose files were moved, deleted or took a name since; undoes the rest', async () => {
    await folderRun('editor', [
      { relPath: 'unlabeled/u1.png', label: 'cat' },
      { relPath: 'unlabeled/u3.png', label: 'cat' },
      { relPath: 'unlabeled/sub/u2.png', label: 'cat' },
    ]);
    await rm(join(root, 'cat', 'u1.png')); // deleted since
    await touch(root, 'unlabeled/u3.png'); // another file took its old name
    const undone = await undoNewestLabelRun(params, 'cli');
    assert.deepEqual(undone?.restored.map((change) => change.newRelPath), ['unlabeled/sub/u2.png']);
    const reasons = undone!.refused.map((refusal) => refusal.reason).sort();
    assert.match(reasons[0]!, /cat\/u1\.png was not moved back: it no longer exists/);
    assert.match(reasons[1]!, /cat\/u3\.png was not moved back: another file now has its old name unlabeled\/u3\.png/);
    assert.ok(existsSync(join(root, 'cat', 'u3.png')), 'the refused file stays where it is');
  });

  it('records a manifest run and refuses to undo a row relabelled since', async () => {
    await writeFile(join(root, 'labels.csv'), 'path,label\nunlabeled/u1.png,\nunlabeled/u3.png,\n');
    const writer = await ManifestLabelWriter.open(root, { unlabeledFolderName: 'unlabeled' });
    const run = await applyManifestJournalled({ cacheDir: params.cacheDir, origin: 'editor' }, writer, [
      { relPath: 'unlabeled/u1.png', label: 'cat' },
      { relPath: 'unlabeled/u3.png', label: 'dog' },
    ]);
    assert.equal(run.applied.length, 2);
    assert.ok(run.journalPath);
    const [journal] = journals(params);
    assert.equal(journal!.mode, 'manifest');
    assert.equal(journal!.state, 'finished');
    await writeFile(join(root, 'labels.csv'), 'path,label\nunlabeled/u1.png,cat\nunlabeled/u3.png,bird\n');
    const undone = await undoNewestLabelRun(params, 'cli');
    assert.deepEqual(undone?.restored.map((change) => change.newRelPath), ['unlabeled/u1.png']);
    assert.match(undone!.refused[0]!.reason, /unlabeled\/u3\.png was relabelled since \(now "bird"\)/);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\nunlabeled/u1.png,\nunlabeled/u3.png,bird\n');
  });

  it('a manifest run killed after its journal was started: rows it wrote are undone, rows it never wrote are left', async () => {
    await writeFile(join(root, 'labels.csv'), 'path,label\nunlabeled/u1.png,cat\nunlabeled/u3.png,\n');
    const createdAt = new Date();
    const planned = [
      { oldRelPath: 'unlabeled/u1.png', newRelPath: 'unlabeled/u1.png', oldLabel: null, newLabel: 'cat' },
      { oldRelPath: 'unlabeled/u3.png', newRelPath: 'unlabeled/u3.png', oldLabel: null, newLabel: 'dog' },
    ];
    await writeJournal(journalPathFor(params.cacheDir, createdAt), { ...newJournal('manifest', 'editor', createdAt, 'started', planned), writer: { pid: deadPid(), hostname: hostname() } });
    const undone = await undoNewestLabelRun(params, 'cli');
    assert.equal(undone?.run.state, 'started');
    assert.deepEqual(undone?.restored.map((change) => change.newRelPath), ['unlabeled/u1.png']);
    assert.deepEqual(undone?.notApplied.map((change) => change.newRelPath), ['unlabeled/u3.png']);
    assert.deepEqual(undone?.refused, []);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\nunlabeled/u1.png,\nunlabeled/u3.png,\n');
  });

  it('rows already back at their old label (an undo killed after its write) need nothing and are not refused', async () => {
    const original = 'path,label\nunlabeled/u1.png,\nunlabeled/u3.png,dog\n';
    await writeFile(join(root, 'labels.csv'), original);
    const writer = await ManifestLabelWriter.open(root, { unlabeledFolderName: 'unlabeled' });
    await applyManifestJournalled({ cacheDir: params.cacheDir, origin: 'cli' }, writer, [{ relPath: 'unlabeled/u1.png', label: 'cat' }, { relPath: 'unlabeled/u3.png', label: null }]);
    await writeFile(join(root, 'labels.csv'), original);
    const undone = await undoNewestLabelRun(params, 'editor');
    assert.equal(undone?.run.state, 'finished');
    assert.deepEqual(undone?.restored, []);
    assert.deepEqual(undone?.notApplied.map((change) => change.newRelPath).sort(), ['unlabeled/u1.png', 'unlabeled/u3.png']);
    assert.deepEqual(undone?.refused, []);
  });

  it('does not touch a run still in progress (its process lives), and says so', async () => {
    await touch(root, 'cat/u1.png');
    await rm(join(root, 'unlabeled', 'u1.png'));
    const createdAt = new Date();
    await writeJournal(journalPathFor(params.cacheDir, createdAt), newJournal('folder', 'cli', createdAt, 'started', [{ oldRelPath: 'unlabeled/u1.png', newRelPath: 'cat/u1.png', oldLabel: null, newLabel: 'cat' }]));
    await assert.rejects(undoNewestLabelRun(params, 'editor'), /newest labelling run \(curator label, process \d+, started .*\) is still in progress; nothing was undone/);
    assert.ok(existsSync(join(root, 'cat', 'u1.png')));
    assert.equal(journals(params)[0]!.state, 'started');
  });

  it('reads a journal of the earlier format (version 1, written by curator label) and undoes it', async () => {
    await touch(root, 'cat/u9.png');
    const path = journalPathFor(params.cacheDir, new Date());
    await mkdir(labelJournalFolder(params.cacheDir), { recursive: true });
    const v1 = { version: 1, mode: 'folder', createdAt: new Date().toISOString(), state: 'finished', changes: [{ oldRelPath: 'unlabeled/u9.png', newRelPath: 'cat/u9.png', oldLabel: null, newLabel: 'cat' }] };
    await writeFile(path, JSON.stringify(v1));
    const read = await readJournal(path);
    assert.ok(typeof read === 'object');
    assert.equal(read.origin, 'cli');
    const undone = await undoNewestLabelRun(params, 'editor');
    assert.equal(undone?.run.origin, 'cli');
    assert.deepEqual(files(root), ['cat/a.png', 'unlabeled/sub/u2.png', 'unlabeled/u1.png', 'unlabeled/u3.png', 'unlabeled/u9.png']);
  });

  it('stops at a newer journal it cannot read, with a message naming it, and undoes nothing older', async () => {
    await folderRun('cli', [{ relPath: 'unlabeled/u1.png', label: 'cat' }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const future = journalPathFor(params.cacheDir, new Date());
    await writeFile(future, JSON.stringify({ version: 99, mode: 'folder', state: 'finished', changes: [] }));
    await assert.rejects(undoNewestLabelRun(params, 'editor'), (error: Error) => {
      assert.ok(error.message.includes(future), error.message);
      assert.match(error.message, /written by a newer version of Dataset Curator .*; nothing was undone\. Move it out of .* to undo the runs before it/);
      return true;
    });
    await writeFile(future, '{"version": 2, "mode": "fold');
    await assert.rejects(undoNewestLabelRun(params, 'editor'), /is not a label journal \(not JSON\); nothing was undone/);
    assert.ok(existsSync(join(root, 'cat', 'u1.png')), 'the older run stays');
    await rm(future);
    assert.equal((await undoNewestLabelRun(params, 'editor'))?.restored.length, 1);
  });
});
