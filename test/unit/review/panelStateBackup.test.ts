// The host's copy of the review panel's state: written shortly after each change (the last of a
// burst wins, never an older one after a newer), read back checked, and preferred to the
// workbench's copy only when it is newer.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newerThanWorkbench, PanelStateBackup } from '../../../src/host/review/panelStateBackup';
import { tempDir } from '../../support/paths';

describe('PanelStateBackup', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('panel-state')));
  afterEach(() => cleanup());

  it('writes the last state of a burst, into a folder it creates, and reads it back', async () => {
    const warnings: string[] = [];
    const backup = new PanelStateBackup(join(dir, 'storage', 'state.json'), (message) => warnings.push(message));
    for (let focusIndex = 0; focusIndex < 50; focusIndex++) backup.remember({ root: '/d', view: 'labelled', focusIndex, savedAt: 1000 + focusIndex });
    await backup.flush();
    assert.deepEqual(await backup.load(), { root: '/d', view: 'labelled', focusIndex: 49, savedAt: 1049 });
    // Remembered, not yet written: the delay has not passed.
    backup.remember({ view: 'issues', savedAt: 2000 });
    assert.equal(JSON.parse(await readFile(backup.file, 'utf8')).view, 'labelled');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(await backup.load(), { view: 'issues', savedAt: 2000 });
    assert.deepEqual(warnings, []);
  });

  it('reads a missing, corrupt or hostile file as no state', async () => {
    const file = join(dir, 'state.json');
    const backup = new PanelStateBackup(file, () => undefined);
    assert.deepEqual(await backup.load(), {});
    await writeFile(file, '{"root": "/d", "view": "lab');
    assert.deepEqual(await backup.load(), {});
    await writeFile(file, JSON.stringify({ root: 3, view: '../x', focusIndex: -2, savedAt: 'now', showMap: true }));
    assert.deepEqual(await backup.load(), { showMap: true });
  });

  it('says why when it cannot write, and keeps working', async () => {
    const warnings: string[] = [];
    // A file where the folder should be: mkdir fails.
    await writeFile(join(dir, 'blocker'), 'x');
    const backup = new PanelStateBackup(join(dir, 'blocker', 'state.json'), (message) => warnings.push(message));
    backup.remember({ view: 'labelled', savedAt: 1 });
    await backup.flush();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /Could not keep the review panel's state/);
  });
});

describe('newerThanWorkbench', () => {
  it('prefers the host copy only when the workbench kept none or an older one', () => {
    const host = { view: 'issues', focusIndex: 7, savedAt: 2000 };
    assert.deepEqual(newerThanWorkbench({}, host), host);
    assert.deepEqual(newerThanWorkbench({ view: 'labelled', savedAt: 1000 }, host), host);
    assert.equal(newerThanWorkbench({ view: 'labelled', savedAt: 2000 }, host), undefined);
    assert.equal(newerThanWorkbench({ view: 'labelled', savedAt: 3000 }, host), undefined);
    // A host copy without a time (from nowhere) never wins.
    assert.equal(newerThanWorkbench({}, { view: 'issues' }), undefined);
  });
});
