// One label journal for the editor and the command line: a change recorded through the core
// functions the editor's label service calls is undone by `curator label --undo`, and a run of
// `curator label` is undone by the core undo that Ctrl+Z in the review panel calls. Folder datasets
// (files move) and manifest datasets (labels.csv rows) alike.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { carryOutMoves } from '../../../src/core/labels/carryOutMoves';
import { planFolderMoves } from '../../../src/core/labels/folderMovePlan';
import { applyManifestJournalled, carryOutMovesJournalled } from '../../../src/core/labels/journalledWrites';
import { ManifestLabelWriter } from '../../../src/core/labels/manifestLabelWriter';
import type { LabelApplyResult, LabelChange } from '../../../src/core/labels/types';
import { undoNewestLabelRun } from '../../../src/core/labels/undoLabelRun';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

describe('one label journal for the editor and curator label', function () {
  this.timeout(120_000);
  let workDir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('shared-journal'));
  });
  after(() => cleanup());

  const label = (folder: string, root: string, ...args: string[]): Promise<CliRun> => runCli(workDir, 'label', folder, '--root', root, ...args);
  const params = (root: string) => ({ root, unlabeledFolderName: fixtureFacts.unlabeledFolderName, cacheDir: join(root, '.curator') });
  const images = (root: string): string[] => (readdirSync(root, { recursive: true }) as string[]).filter((path) => /\.(png|jpg)$/.test(path)).sort();

  /** A folder change as the label service makes it (the moves of more than 100 files: straight on disk). */
  async function editorFolderChange(root: string, changes: LabelChange[]): Promise<LabelApplyResult> {
    const plan = await planFolderMoves(root, changes, fixtureFacts.unlabeledFolderName);
    const result: LabelApplyResult = { mode: 'folder', applied: [], unchanged: plan.unchanged, refused: plan.refused };
    await carryOutMovesJournalled({ cacheDir: params(root).cacheDir, origin: 'editor' }, plan.moves, result, (moves, into) => carryOutMoves(moves, into));
    return result;
  }

  it('folder dataset: curator label --undo undoes the editor\'s change, and the editor\'s undo undoes a curator label run', async () => {
    const folder = join(workDir, 'folder-workspace');
    const root = await makeFixtureDataset(folder);
    const before = images(root);
    const [first, second] = (await readdir(join(root, 'unlabeled'))).filter((name) => name.startsWith('u_')).sort();

    const change = await editorFolderChange(root, [{ relPath: `unlabeled/${first}`, label: '7' }]);
    assert.equal(change.applied.length, 1);
    assert.ok(existsSync(join(root, '7', first!)));
    const undo = await label(folder, root, '--undo');
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stdout, /undid 1 label changes of .*label-journal.* \(the editor, .*\), 0 refused/);
    assert.deepEqual(images(root), before);

    const changes = join(workDir, 'changes.csv');
    await writeFile(changes, `path,label\nunlabeled/${second},1\n`);
    const run = await label(folder, root, '--from', changes);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(root, '1', second!)));
    const undone = await undoNewestLabelRun(params(root), 'editor');
    assert.equal(undone?.run.origin, 'cli');
    assert.deepEqual(undone?.restored.map((restored) => restored.newRelPath), [`unlabeled/${second}`]);
    assert.deepEqual(images(root), before);

    const nothing = await label(folder, root, '--undo');
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /Nothing to undo/);
  });

  it('manifest dataset: the same both ways, and a row relabelled since is refused with its reason', async () => {
    const folder = join(workDir, 'manifest-workspace');
    const fixtureRoot = await makeFixtureDataset(join(workDir, 'source'));
    const root = join(folder, 'rows');
    await mkdir(root, { recursive: true });
    const names = (await readdir(join(fixtureRoot, 'unlabeled'))).filter((name) => name.startsWith('u_')).sort().slice(0, 3);
    for (const name of names) await copyFile(join(fixtureRoot, 'unlabeled', name), join(root, name));
    const original = `path,label\n${names.map((name) => `${name},`).join('\n')}\n`;
    await writeFile(join(root, 'labels.csv'), original);

    // The editor keeps one writer per root; a change through it, undone from the command line.
    const writer = await ManifestLabelWriter.open(root, { unlabeledFolderName: fixtureFacts.unlabeledFolderName });
    const written = await applyManifestJournalled({ cacheDir: params(root).cacheDir, origin: 'editor' }, writer, [
      { relPath: names[0]!, label: '7' },
      { relPath: names[1]!, label: '1' },
    ]);
    assert.equal(written.applied.length, 2);
    const undo = await label(folder, root, '--undo', '--json');
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(JSON.parse(undo.stdout).run.origin, 'editor');
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), original);

    // A command-line run, one of its rows relabelled by someone else, undone by the editor's undo.
    const changes = join(workDir, 'rows.csv');
    await writeFile(changes, `path,label\n${names[1]},0\n${names[2]},7\n`);
    assert.equal((await label(folder, root, '--from', changes)).code, 0);
    const relabelled = (await readFile(join(root, 'labels.csv'), 'utf8')).replace(`${names[2]},7`, `${names[2]},1`);
    await writeFile(join(root, 'labels.csv'), relabelled);
    const undone = await undoNewestLabelRun(params(root), 'editor');
    assert.equal(undone?.run.origin, 'cli');
    assert.deepEqual(undone?.restored.map((row) => row.newRelPath), [names[1]]);
    assert.match(undone!.refused[0]!.reason, new RegExp(`${names[2]!.replace('.', '\\.')} was relabelled since \\(now "1"\\); it is left as it is`));
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), `path,label\n${names[0]},\n${names[1]},\n${names[2]},1\n`);
  });
});
