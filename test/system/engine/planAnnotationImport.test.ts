// Import Labels' dry run in the real engine process: a Label Studio export matched to a root's
// images comes back as a plain plan, a malformed export as the user's message (not an engine
// failure), a cancel as a cancel, and nothing in the root moves.
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineCallError, EngineClient } from '../../../src/core/engine/engineClient';
import type { PlanAnnotationImportProgress } from '../../../src/core/interop/importAnnotations';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { enginePath, tempDir } from '../../support/paths';

/** A task the way Label Studio exports it, answered with `choices` or cancelled. */
function task(id: number, relPath: string, choices: string[] | 'cancelled') {
  const cancelled = choices === 'cancelled';
  const result = cancelled ? [] : [{ from_name: 'label', to_name: 'image', type: 'choices', value: { choices } }];
  return { id, data: { image: `/data/local-files/?d=${fixtureFacts.rootName}/${relPath}` }, annotations: [{ id: 100 + id, was_cancelled: cancelled, result }], predictions: [] };
}

describe('engine: planAnnotationImport', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let root: string;
  let engine: EngineClient;
  let unlabelledBefore: string[];
  const params = (file: string, allowNewClasses = false) => ({ root, file, unlabeledFolderName: fixtureFacts.unlabeledFolderName, allowNewClasses });

  before(async () => {
    ({ dir, cleanup } = await tempDir('plan-import'));
    root = await makeFixtureDataset(dir);
    unlabelledBefore = (await readdir(join(root, 'unlabeled'))).sort();
    engine = new EngineClient({ enginePath });
  });
  after(async () => {
    engine?.dispose();
    await cleanup?.();
  });
  afterEach(async () => assert.deepEqual((await readdir(join(root, 'unlabeled'))).sort(), unlabelledBefore, 'planning moves nothing'));

  it('matches an export to the root, in the engine, with progress', async () => {
    const file = join(dir, 'export.json');
    const tasks = [task(1, 'unlabeled/u_000.png', ['7']), task(2, 'unlabeled/u_001.png', ['1']), task(3, 'unlabeled/u_002.png', 'cancelled'), task(4, 'unlabeled/u_003.png', ['nine']), task(5, 'unlabeled/gone.png', ['0'])];
    await writeFile(file, JSON.stringify(tasks));
    const phases: Array<PlanAnnotationImportProgress['phase']> = [];
    const plan = await engine.call('planAnnotationImport', params(file), { onProgress: (update) => phases.push(update.phase) });
    assert.equal(plan.tool, 'label-studio');
    assert.equal(plan.entries, tasks.length);
    assert.deepEqual(
      plan.changes.map((change) => [change.relPath, change.label]),
      [
        ['unlabeled/u_000.png', '7'],
        ['unlabeled/u_001.png', '1'],
      ],
    );
    assert.deepEqual(plan.problems.map((problem) => problem.kind).sort(), ['cancelled', 'unknown-class', 'unmatched']);
    assert.deepEqual(plan.newClasses, []);
    assert.equal(phases[0], 'read');
    assert.ok(phases.includes('scan'), phases.join());

    const withNew = await engine.call('planAnnotationImport', params(file, true));
    assert.deepEqual(withNew.newClasses, [{ name: 'nine', count: 1 }]);
    assert.ok(withNew.changes.some((change) => change.relPath === 'unlabeled/u_003.png' && change.label === 'nine'));
  });

  it('reports a malformed export as the message for the user, without a stack', async () => {
    const file = join(dir, 'broken.xml');
    await writeFile(file, '<annotations><image id="0" name="unlabeled/u_000.png"><tag label="7"></image>');
    await assert.rejects(engine.call('planAnnotationImport', params(file)), (error: unknown) => {
      assert.ok(error instanceof EngineCallError, String(error));
      assert.ok(error.unusableInput, error.payload.code);
      assert.match(error.message, /broken\.xml is not a usable CVAT for images 1\.1 XML export: .+\. Nothing was written\./);
      assert.equal(error.payload.stack, undefined);
      return true;
    });
    const neither = join(dir, 'notes.json');
    await writeFile(neither, 'task 1: seven');
    await assert.rejects(engine.call('planAnnotationImport', params(neither)), (error: unknown) => error instanceof EngineCallError && error.unusableInput && /neither a Label Studio JSON export nor a CVAT/.test(error.message));
  });

  it('keeps other failures as failures, and checks its parameters', async () => {
    await assert.rejects(engine.call('planAnnotationImport', params(join(dir, 'no-such-export.json'))), (error: unknown) => {
      assert.ok(error instanceof EngineCallError && error.payload.code === 'failed', String(error));
      assert.match(error.message, /Could not read .*no-such-export\.json/);
      return true;
    });
    await assert.rejects(engine.call('planAnnotationImport', { root, unlabeledFolderName: 'unlabeled' } as never), /"file"/);
    await assert.rejects(engine.call('planAnnotationImport', { ...params(join(dir, 'export.json')), allowNewClasses: 'yes' } as never), /"allowNewClasses"/);
  });

  it('stops when cancelled, and the engine goes on serving', async () => {
    // Big enough that the cancel arrives while the export is still being read or the root scanned.
    const file = join(dir, 'big-export.json');
    const tasks = Array.from({ length: 30_000 }, (_, index) => task(index + 1, `unlabeled/missing_${index}.png`, ['7']));
    await writeFile(file, JSON.stringify(tasks));
    const controller = new AbortController();
    const call = engine.call('planAnnotationImport', params(file), { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(call, (error: unknown) => error instanceof EngineCallError && error.cancelled);
    assert.ok((await engine.call('ping', {})).pid > 0);
  });
});
