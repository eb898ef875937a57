// Curator: Import Labels… in the real VS Code API: a Label Studio export becomes one label change
// through the LabelService (undone by its undo, as Ctrl+Z in the panel does), classes the root does
// not have are written only when allowed, and a malformed export changes nothing.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CuratorApi } from '../../src/extension';
import type { ImportLabelsCommandResult } from '../../src/host/commands/importLabels';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace } from './workspace';

describe('Import Labels', () => {
  let root: string;
  before(async () => {
    root = join(fixtureWorkspace(), 'import-labels-test');
    await rm(root, { recursive: true, force: true });
    const digits = join(fixtureWorkspace(), fixtureFacts.rootName);
    await mkdir(join(root, 'unlabeled'), { recursive: true });
    await mkdir(join(root, 'seven'), { recursive: true });
    for (const file of ['u_000.png', 'u_001.png']) await copyFile(join(digits, 'unlabeled', file), join(root, 'unlabeled', file));
    const seven = readdirSync(join(digits, '7')).filter((name) => name.endsWith('.png'))[0];
    await copyFile(join(digits, '7', seven), join(root, 'seven', seven));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const task = (id: number, path: string, choice: string) => ({
    id,
    data: { image: `/data/local-files/?d=import-labels-test/${path}` },
    annotations: [{ id, was_cancelled: false, result: [{ from_name: 'label', to_name: 'image', type: 'choices', value: { choices: [choice] } }] }],
  });
  const importLabels = (args: object) => vscode.commands.executeCommand<ImportLabelsCommandResult | undefined>('curator.importLabels', { root, confirm: false, ...args });

  it('writes the known classes as one undoable change, new classes only when allowed', async () => {
    const file = join(fixtureWorkspace(), 'import-labels-export.json');
    await writeFile(file, JSON.stringify([task(1, 'unlabeled/u_000.png', 'seven'), task(2, 'unlabeled/u_001.png', 'nine')]));
    try {
      const result = await importLabels({ file });
      assert.ok(result);
      assert.deepEqual(result.applied, [{ oldRelPath: 'unlabeled/u_000.png', newRelPath: 'seven/u_000.png', oldLabel: null, newLabel: 'seven' }]);
      assert.deepEqual(result.plan.problems.map((problem) => problem.kind), ['unknown-class']);
      assert.ok(existsSync(join(root, 'seven', 'u_000.png')));
      assert.ok(existsSync(join(root, 'unlabeled', 'u_001.png')), 'the image with a new class stays unlabelled');

      const api = await vscode.extensions.getExtension<CuratorApi>('dataset-curator.dataset-curator')!.activate();
      await api.labels.undoLastChange(root);
      assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')), 'undo moves it back');

      const withNew = await importLabels({ file, allowNewClasses: true });
      assert.equal(withNew?.applied.length, 2);
      assert.ok(existsSync(join(root, 'nine', 'u_001.png')));
      await api.labels.undoLastChange(root);
      assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')) && existsSync(join(root, 'unlabeled', 'u_001.png')));
    } finally {
      await rm(file, { force: true });
    }
  });

  it('leaves everything as it was for a malformed export', async () => {
    const file = join(fixtureWorkspace(), 'import-labels-broken.xml');
    await writeFile(file, '<annotations><image id="0" name="unlabeled/u_000.png"><tag label="seven"></image>');
    try {
      assert.equal(await importLabels({ file }), undefined);
      assert.deepEqual(readdirSync(join(root, 'unlabeled')).sort(), ['u_000.png', 'u_001.png']);
    } finally {
      await rm(file, { force: true });
    }
  });
});
