import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSelectionItems, readSelectionItems } from '../../../src/core/results/selectionFiles';
import { exportSelection, exportSelectionTo, type ExportItem } from '../../../src/core/jobs/exportSelection';
import { tempDir } from '../../support/paths';

describe('exportSelection', () => {
  let root: string;
  let out: string;
  let cleanups: Array<() => Promise<void>>;
  const items: ExportItem[] = [
    { relPath: 'unlabeled/b.png', rank: 1, score: 0.9, entropy: 1.5 },
    { relPath: 'cat/a.png', rank: 2, score: 0.5, label: 'cat', duplicates: ['x.png', 'y.png'] },
    { relPath: 'unlabeled/gone.png', rank: 3, score: 0.4 },
    { relPath: '../escape.png', rank: 4 },
    { relPath: 'unlabeled/outside.png', rank: 5 },
    { relPath: 'cat\\a, "quoted".png', rank: 6, score: 0.1 },
  ];

  beforeEach(async () => {
    const rootDir = await tempDir('export-root');
    const outDir = await tempDir('export-out');
    root = rootDir.dir;
    out = outDir.dir;
    cleanups = [rootDir.cleanup, outDir.cleanup];
    await mkdir(join(root, 'unlabeled'));
    await mkdir(join(root, 'cat'));
    await writeFile(join(root, 'unlabeled', 'b.png'), 'image b');
    await writeFile(join(root, 'cat', 'a.png'), 'image a');
    await writeFile(join(root, 'cat', 'a, "quoted".png'), 'image q');
    await writeFile(join(out, 'secret.png'), 'not in the dataset');
    await symlink(join(out, 'secret.png'), join(root, 'unlabeled', 'outside.png'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('copies the images flat with rank-prefixed names and reports what it left out', async () => {
    const target = join(out, 'picked');
    const result = await exportSelection(root, items, { mode: 'copy', outDir: target });
    assert.deepEqual(result.files, ['0001_b.png', '0002_a.png', '0006_a, "quoted".png']);
    assert.equal(result.exported, 3);
    assert.equal(result.requested, 6);
    assert.deepEqual(result.problems.map((problem) => [problem.relPath, problem.kind]), [
      ['unlabeled/gone.png', 'missing'],
      ['../escape.png', 'outside-root'],
      ['unlabeled/outside.png', 'outside-root'],
    ]);
    assert.deepEqual((await readdir(target)).sort(), ['0001_b.png', '0002_a.png', '0006_a, "quoted".png']);
    assert.equal(await readFile(join(target, '0001_b.png'), 'utf8'), 'image b');
  });

  it('never overwrites: a second export into the same folder skips every existing name', async () => {
    const target = join(out, 'picked');
    await exportSelection(root, items, { mode: 'copy', outDir: target });
    await writeFile(join(target, '0001_b.png'), 'edited by the user');
    const again = await exportSelection(root, items, { mode: 'copy', outDir: target });
    assert.equal(again.exported, 0);
    assert.equal(again.problems.filter((problem) => problem.kind === 'exists').length, 3);
    assert.equal(await readFile(join(target, '0001_b.png'), 'utf8'), 'edited by the user');
  });

  it('symlinks point at the image by its absolute path', async () => {
    const target = join(out, 'links');
    const result = await exportSelection(root, items.slice(0, 2), { mode: 'symlink', outDir: target });
    assert.equal(result.exported, 2);
    assert.equal(await readlink(join(target, '0001_b.png')), join(root, 'unlabeled', 'b.png'));
    assert.equal(await readFile(join(target, '0002_a.png'), 'utf8'), 'image a');
  });

  it('writes an RFC 4180 CSV with the fixed columns first and the items other fields after', async () => {
    const file = join(out, 'selection.csv');
    const result = await exportSelection(root, items, { mode: 'csv', outFile: file });
    assert.equal(result.exported, 3);
    assert.equal(
      await readFile(file, 'utf8'),
      'rank,path,score,label,entropy,duplicates\r\n' +
        '1,unlabeled/b.png,0.9,,1.5,\r\n' +
        '2,cat/a.png,0.5,cat,,x.png;y.png\r\n' +
        '6,"cat/a, ""quoted"".png",0.1,,,\r\n',
    );
    await assert.rejects(exportSelection(root, items, { mode: 'csv', outFile: file }), /already exists/);
  });

  it('writes a JSON list, ranks defaulting to the position in the list', async () => {
    const file = join(out, 'selection.json');
    await exportSelection(root, [{ relPath: 'cat/a.png' }, { relPath: 'unlabeled/b.png', score: 2 }], { mode: 'json', outFile: file });
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), [
      { rank: 1, path: 'cat/a.png', score: null, label: null },
      { rank: 2, path: 'unlabeled/b.png', score: 2, label: null },
    ]);
  });

  it('exportSelectionTo takes a folder for files and a file for lists', async () => {
    const copied = await exportSelectionTo(root, items.slice(0, 2), 'copy', join(out, 'to'));
    assert.deepEqual(copied.files, ['0001_b.png', '0002_a.png']);
    const listed = await exportSelectionTo(root, items.slice(0, 2), 'csv', join(out, 'to.csv'));
    assert.equal(listed.out, join(out, 'to.csv'));
    assert.match(await readFile(join(out, 'to.csv'), 'utf8'), /^rank,path,score,label/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(exportSelection(root, items, { mode: 'copy', outDir: join(out, 'x'), signal: controller.signal }), { name: 'AbortError' });
  });
});

describe('readSelectionItems', () => {
  it('reads a selection result or a bare list, and reports entries without a path', () => {
    const fromResult = readSelectionItems({ method: 'random', items: [{ path: 'a.png', rank: 1, score: 0.3, entropy: 2 }, { rank: 2 }, 'junk'] });
    assert.deepEqual(fromResult.items, [{ relPath: 'a.png', rank: 1, score: 0.3, label: undefined, entropy: 2 }]);
    assert.equal(fromResult.problems.length, 2);
    assert.equal(readSelectionItems([{ relPath: 'b.png', rank: 'first' }]).items[0]!.rank, undefined);
    assert.match(readSelectionItems({ nothing: true }).problems[0]!, /neither a list/);
  });

  it('loadSelectionItems reads a file, and names it when it is not JSON', async () => {
    const { dir, cleanup } = await tempDir('selection-file');
    try {
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ items: [{ path: 'a.png', rank: 1 }] }));
      assert.deepEqual((await loadSelectionItems(good)).items.map((item) => item.relPath), ['a.png']);
      const bad = join(dir, 'bad.json');
      await writeFile(bad, '{ not json');
      await assert.rejects(loadSelectionItems(bad), (error: Error) => error.message.startsWith(`Could not read the selection ${bad}`));
    } finally {
      await cleanup();
    }
  });
});
