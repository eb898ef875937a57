// Curator: Export Selection in the real VS Code API, with its prompts skipped through arguments.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportSelectionCommandResult } from '../../src/host/commands/exportSelection';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace } from './workspace';

describe('Curator: Export Selection', () => {
  let root: string;
  let out: string;

  before(async () => {
    // A root of its own, removed afterwards, so the fixture the other tests count is unchanged.
    root = join(fixtureWorkspace(), 'export-selection-test');
    await rm(root, { recursive: true, force: true });
    await mkdir(join(root, 'unlabeled'), { recursive: true });
    const source = join(fixtureWorkspace(), fixtureFacts.rootName, fixtureFacts.unlabeledFolderName);
    for (const file of ['u_000.png', 'u_001.png', 'u_002.png']) await copyFile(join(source, file), join(root, 'unlabeled', file));
    const selections = join(root, '.curator', 'selections');
    await mkdir(selections, { recursive: true });
    const items = [
      { path: 'unlabeled/u_002.png', rank: 1, score: 0.9 },
      { path: 'unlabeled/u_000.png', rank: 2, score: 0.7 },
      { path: 'unlabeled/deleted.png', rank: 3, score: 0.1 },
    ];
    await writeFile(join(selections, 'older.json'), JSON.stringify({ items: items.slice(0, 1) }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(join(selections, 'newer.json'), JSON.stringify({ method: 'random', items }));
    out = await mkdtemp(join(tmpdir(), 'curator-export-selection-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('is contributed to the palette under Curator', () => {
    const extension = vscode.extensions.getExtension('dataset-curator.dataset-curator');
    const commands = (extension?.packageJSON.contributes?.commands ?? []) as { command: string; title: string; category?: string }[];
    const entry = commands.find((command) => command.command === 'curator.exportSelection');
    assert.deepEqual([entry?.title, entry?.category], ['Export Selection', 'Curator']);
  });

  it('copies the newest selection into a folder, rank-prefixed, and reports the missing file', async () => {
    const folder = join(out, 'copied');
    const result = await vscode.commands.executeCommand<ExportSelectionCommandResult>('curator.exportSelection', { root, mode: 'copy', out: folder });
    assert.ok(result, 'the command returns its result (undefined means it failed: see "Curator: Show Log")');
    assert.equal(result.selectionFile, join(root, '.curator', 'selections', 'newer.json'));
    assert.deepEqual([result.requested, result.exported], [3, 2]);
    assert.deepEqual(result.problems.map((problem) => problem.kind), ['missing']);
    assert.deepEqual((await readdir(folder)).sort(), ['0001_u_002.png', '0002_u_000.png']);
    assert.deepEqual(await readFile(join(folder, '0001_u_002.png')), await readFile(join(root, 'unlabeled', 'u_002.png')));
  });

  it('writes a CSV list of a given selection file', async () => {
    const file = join(out, 'selection.csv');
    const selectionFile = join(root, '.curator', 'selections', 'older.json');
    const result = await vscode.commands.executeCommand<ExportSelectionCommandResult>('curator.exportSelection', { root, selectionFile, mode: 'csv', out: file });
    assert.ok(result);
    assert.equal(result.exported, 1);
    assert.ok(existsSync(file));
    assert.equal(await readFile(file, 'utf8'), 'rank,path,score,label\r\n1,unlabeled/u_002.png,0.9,\r\n');
  });

  describe('as Label Studio tasks, with curator.labelStudio.documentRoot', () => {
    const setDocumentRoot = (value: string | undefined) => vscode.workspace.getConfiguration('curator').update('labelStudio.documentRoot', value, vscode.ConfigurationTarget.Global);
    const servedPaths = async (file: string): Promise<string[]> =>
      (JSON.parse(await readFile(file, 'utf8')) as Array<{ data: { image: string } }>).map((task) => new URL(task.data.image, 'http://label-studio').searchParams.get('d') ?? '');
    afterEach(() => setDocumentRoot(undefined));

    it('writes paths relative to the folder holding the root by default, and to the document root the setting names', async () => {
      const byDefault = join(out, 'default-tasks.json');
      const result = await vscode.commands.executeCommand<ExportSelectionCommandResult>('curator.exportSelection', { root, mode: 'label-studio', out: byDefault });
      assert.ok(result, 'the command returns its result (undefined means it failed: see "Curator: Show Log")');
      assert.deepEqual(await servedPaths(byDefault), ['export-selection-test/unlabeled/u_002.png', 'export-selection-test/unlabeled/u_000.png']);

      await setDocumentRoot(root);
      const fromSetting = join(out, 'document-root-tasks.json');
      assert.ok(await vscode.commands.executeCommand<ExportSelectionCommandResult>('curator.exportSelection', { root, mode: 'label-studio', out: fromSetting }));
      assert.deepEqual(await servedPaths(fromSetting), ['unlabeled/u_002.png', 'unlabeled/u_000.png']);
    });

    it('refuses a document root that does not hold the dataset root, or is not absolute, and writes nothing', async () => {
      for (const documentRoot of [out, 'datasets']) {
        await setDocumentRoot(documentRoot);
        const file = join(out, `refused-${documentRoot === out ? 'outside' : 'relative'}-tasks.json`);
        const result = await vscode.commands.executeCommand<ExportSelectionCommandResult>('curator.exportSelection', { root, mode: 'label-studio', out: file });
        assert.equal(result, undefined, documentRoot);
        assert.ok(!existsSync(file), `${file} was not written`);
      }
    });
  });
});
