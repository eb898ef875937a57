// Label writes through the extension's LabelService, in the real VS Code API: folder datasets move
// files through a WorkspaceEdit that Undo reverts, manifest datasets get their CSV rewritten, and
// every change goes into the label journal that `curator label` shares.
// Each test builds its own small root inside the workspace and removes it afterwards, so the
// fixture the other tests count stays as it was.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CuratorApi } from '../../src/extension';
import { undoLastLabels, writeLabels } from '../../src/core/jobs/writeLabels';
import { BULK_MOVES } from '../../src/host/labels/labelService';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace } from './workspace';

const EXTENSION_ID = 'dataset-curator.dataset-curator';

async function curatorApi(): Promise<CuratorApi> {
  const extension = vscode.extensions.getExtension<CuratorApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
  return extension.activate();
}

/** A root with two unlabelled digit images copied from the fixture. */
async function makeRoot(name: string): Promise<string> {
  const root = join(fixtureWorkspace(), name);
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'unlabeled'), { recursive: true });
  const source = join(fixtureWorkspace(), fixtureFacts.rootName, fixtureFacts.unlabeledFolderName);
  for (const file of ['u_000.png', 'u_001.png']) await copyFile(join(source, file), join(root, 'unlabeled', file));
  return root;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Labels', () => {
  const roots: string[] = [];
  after(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('folder dataset: labelling moves the file through a WorkspaceEdit, and Undo moves it back', async () => {
    const api = await curatorApi();
    const root = await makeRoot('labels-folder-test');
    roots.push(root);
    const events: string[] = [];
    const subscription = api.labels.onDidChangeLabels((event) => events.push(`${event.root}: ${event.result.applied.length}`));

    const result = await api.labels.applyLabels(root, [{ relPath: 'unlabeled/u_000.png', label: 'seven' }]);
    assert.equal(result.mode, 'folder');
    assert.deepEqual(result.refused, []);
    assert.deepEqual(result.applied, [{ oldRelPath: 'unlabeled/u_000.png', newRelPath: 'seven/u_000.png', oldLabel: null, newLabel: 'seven' }]);
    assert.ok(existsSync(join(root, 'seven', 'u_000.png')), 'the file is in its class folder');
    assert.ok(!existsSync(join(root, 'unlabeled', 'u_000.png')), 'and no longer in the unlabelled folder');
    subscription.dispose();
    assert.deepEqual(events, [`${root}: 1`], 'views are told once');

    // VS Code keeps an extension's file moves on the undo stack of the files involved, not on the
    // Explorer's own stack: Undo reaches them from an editor showing one of the files (here the
    // image preview of the moved image). Focusing the Explorer and pressing Undo does not.
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(join(root, 'seven', 'u_000.png')));
    await vscode.commands.executeCommand('undo');
    await waitFor(() => existsSync(join(root, 'unlabeled', 'u_000.png')), 'Undo moves the file back');
    assert.ok(!existsSync(join(root, 'seven', 'u_000.png')), 'Undo leaves no copy in the class folder');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('folder dataset: refuses labels that are not valid folder names, and writes nothing', async () => {
    const api = await curatorApi();
    const root = await makeRoot('labels-refuse-test');
    roots.push(root);
    const result = await api.labels.applyLabels(root, [{ relPath: 'unlabeled/u_001.png', label: 'a/b' }, { relPath: '../outside.png', label: 'x' }]);
    assert.equal(result.applied.length, 0);
    assert.equal(result.refused.length, 2);
    assert.match(result.refused[0]!.reason, /not allowed in folder names/);
    assert.ok(existsSync(join(root, 'unlabeled', 'u_001.png')));
  });

  it('folder dataset: a change of more than BULK_MOVES files moves them directly, and undoLastChange moves them all back', async () => {
    const api = await curatorApi();
    const root = join(fixtureWorkspace(), 'labels-bulk-test');
    roots.push(root);
    await rm(root, { recursive: true, force: true });
    await mkdir(join(root, 'unlabeled'), { recursive: true });
    const count = BULK_MOVES + 50;
    const names = Array.from({ length: count }, (_, i) => `img_${i}.png`);
    for (const name of names) await writeFile(join(root, 'unlabeled', name), name);
    const result = await api.labels.applyLabels(root, names.map((name, i) => ({ relPath: `unlabeled/${name}`, label: i % 2 ? 'odd' : 'even' })));
    assert.equal(result.applied.length, count);
    assert.deepEqual(result.refused, []);
    for (const [i, name] of names.entries()) assert.equal(await readFile(join(root, i % 2 ? 'odd' : 'even', name), 'utf8'), name);
    assert.ok(await api.labels.canUndoLastChange(root));
    const undone = await api.labels.undoLastChange(root);
    assert.equal(undone?.applied.length, count);
    assert.equal(undone?.run.origin, 'editor');
    assert.deepEqual(readdirSync(join(root, 'unlabeled')).sort(), [...names].sort());
    assert.ok(!(await api.labels.canUndoLastChange(root)), 'the undo is not itself undone, and the journal holds no other run');
  });

  it('manifest dataset: the CSV is rewritten in place, and undoLastChange restores it', async () => {
    const api = await curatorApi();
    const root = await makeRoot('labels-manifest-test');
    roots.push(root);
    const original = 'path,label,annotator\r\nunlabeled/u_000.png,,ann\r\n';
    await writeFile(join(root, 'labels.csv'), original);

    const result = await api.labels.applyLabels(root, [
      { relPath: 'unlabeled/u_000.png', label: 'seven' },
      { relPath: 'unlabeled/u_001.png', label: 'one' },
    ]);
    assert.equal(result.mode, 'manifest');
    assert.deepEqual(result.refused, []);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label,annotator\r\nunlabeled/u_000.png,seven,ann\r\nunlabeled/u_001.png,one,\r\n');
    assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')), 'manifest datasets never move files');

    assert.ok(await api.labels.canUndoLastChange(root));
    await api.labels.undoLastChange(root);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label,annotator\r\nunlabeled/u_000.png,,ann\r\nunlabeled/u_001.png,,\r\n');
  });

  it('shares one label journal with curator label: each undoes the other\'s newest run', async () => {
    const api = await curatorApi();
    const root = await makeRoot('labels-journal-test');
    roots.push(root);
    const params = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(root, '.curator') };
    // A change made here, undone the way `curator label --undo` does it.
    await api.labels.applyLabels(root, [{ relPath: 'unlabeled/u_000.png', label: 'seven' }]);
    const byCli = await undoLastLabels(params);
    assert.equal(byCli.run.origin, 'editor');
    assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')) && !existsSync(join(root, 'seven', 'u_000.png')));
    // A run of `curator label`, undone here.
    await writeLabels(params, [{ relPath: 'unlabeled/u_001.png', label: 'one' }]);
    assert.ok(existsSync(join(root, 'one', 'u_001.png')));
    const here = await api.labels.undoLastChange(root);
    assert.equal(here?.run.origin, 'cli');
    assert.deepEqual(here?.applied.map((change) => change.newRelPath), ['unlabeled/u_001.png']);
    assert.ok(existsSync(join(root, 'unlabeled', 'u_001.png')));
    assert.equal(await api.labels.undoLastChange(root), undefined, 'nothing left to undo');
  });
});
