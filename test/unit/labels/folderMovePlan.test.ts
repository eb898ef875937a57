import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectLabelStorage, folderLabelOf, numberedName, planFolderMoves } from '../../../src/core/labels';
import { tempDir } from '../../support/paths';

async function touch(root: string, relPath: string): Promise<void> {
  await mkdir(join(root, relPath, '..'), { recursive: true });
  await writeFile(join(root, relPath), relPath);
}

describe('planFolderMoves', () => {
  let root: string;
  let outside: string;
  let cleanups: Array<() => Promise<void>>;
  beforeEach(async () => {
    const rootDir = await tempDir('labels-plan');
    const outsideDir = await tempDir('labels-outside');
    root = rootDir.dir;
    outside = outsideDir.dir;
    cleanups = [rootDir.cleanup, outsideDir.cleanup];
    for (const file of ['cat/a.png', 'cat/deep/b.png', 'dog/a.png', 'unlabeled/u1.png', 'unlabeled/a.png', 'loose.png']) await touch(root, file);
  });
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('moves a labelled file into the class folder and an unlabelled one into the unlabelled folder', async () => {
    const plan = await planFolderMoves(root, [{ relPath: 'unlabeled/u1.png', label: 'bird' }, { relPath: 'cat/deep/b.png', label: null }], 'unlabeled');
    assert.deepEqual(plan.refused, []);
    assert.deepEqual(
      plan.moves.map(({ oldRelPath, newRelPath, oldLabel, newLabel }) => ({ oldRelPath, newRelPath, oldLabel, newLabel })),
      [
        { oldRelPath: 'unlabeled/u1.png', newRelPath: 'bird/u1.png', oldLabel: null, newLabel: 'bird' },
        { oldRelPath: 'cat/deep/b.png', newRelPath: 'unlabeled/b.png', oldLabel: 'cat', newLabel: null },
      ],
    );
    assert.equal(plan.moves[0]!.fromPath, join(root, 'unlabeled', 'u1.png'));
    assert.equal(plan.moves[0]!.toPath, join(root, 'bird', 'u1.png'));
  });

  it('never plans over an existing file or another planned target: numbered suffixes, deterministically', async () => {
    const changes = [
      { relPath: 'cat/a.png', label: 'dog' },
      { relPath: 'unlabeled/a.png', label: 'dog' },
    ];
    const plan = await planFolderMoves(root, changes, 'unlabeled');
    assert.deepEqual(plan.moves.map((move) => move.newRelPath), ['dog/a (2).png', 'dog/a (3).png']);
    const again = await planFolderMoves(root, changes, 'unlabeled');
    assert.deepEqual(again.moves.map((move) => move.newRelPath), ['dog/a (2).png', 'dog/a (3).png']);
  });

  it('reports changes that ask for the current label as unchanged', async () => {
    const plan = await planFolderMoves(root, [{ relPath: 'cat/deep/b.png', label: 'cat' }, { relPath: 'loose.png', label: null }], 'unlabeled');
    assert.equal(plan.moves.length, 0);
    assert.equal(plan.unchanged.length, 2);
  });

  it('refuses invalid labels, missing files, duplicates and paths that leave the root, saying why', async () => {
    await writeFile(join(outside, 'secret.png'), 'x');
    await symlink(join(outside, 'secret.png'), join(root, 'unlabeled', 'link.png'));
    await symlink(outside, join(root, 'elsewhere'));
    const plan = await planFolderMoves(
      root,
      [
        { relPath: 'unlabeled/u1.png', label: 'a:b' },
        { relPath: '../x.png', label: 'cat' },
        { relPath: '/etc/passwd', label: 'cat' },
        { relPath: 'C:\\x.png', label: 'cat' },
        { relPath: 'unlabeled/missing.png', label: 'cat' },
        { relPath: 'unlabeled/link.png', label: 'cat' },
        { relPath: 'unlabeled/u1.png', label: 'elsewhere' },
        { relPath: 'unlabeled/u1.png', label: 'cat' },
        { relPath: 'cat', label: 'dog' },
      ],
      'unlabeled',
    );
    assert.equal(plan.moves.length, 0, JSON.stringify(plan.moves));
    const reasons = plan.refused.map((refusal) => refusal.reason);
    assert.equal(reasons.length, 9);
    assert.match(reasons[0]!, /contains ":"/);
    assert.match(reasons[1]!, /outside the dataset root/);
    assert.match(reasons[2]!, /absolute path/);
    assert.match(reasons[3]!, /drive letter/);
    assert.match(reasons[4]!, /does not exist/);
    assert.match(reasons[5]!, /outside the dataset root/);
    assert.match(reasons[6]!, /"elsewhere" leads outside the dataset root/);
    assert.match(reasons[7]!, /more than once/);
    assert.match(reasons[8]!, /not a file/);
  });

  it('reads the folder label the way the scanner does', () => {
    assert.equal(folderLabelOf('cat/x.png', 'unlabeled'), 'cat');
    assert.equal(folderLabelOf('cat/sub/x.png', 'unlabeled'), 'cat');
    assert.equal(folderLabelOf('unlabeled/x.png', 'unlabeled'), null);
    assert.equal(folderLabelOf('x.png', 'unlabeled'), null);
    assert.equal(numberedName('a.b.png', 3), 'a.b (3).png');
    assert.equal(numberedName('README', 2), 'README (2)');
  });

  it('tells folder roots from manifest roots, the CSV winning over JSONL', async () => {
    assert.deepEqual(await detectLabelStorage(root), { mode: 'folder' });
    await writeFile(join(root, 'labels.jsonl'), '');
    assert.equal((await detectLabelStorage(root)).mode, 'manifest');
    assert.equal((await detectLabelStorage(root) as { kind: string }).kind, 'jsonl');
    await writeFile(join(root, 'labels.csv'), 'path,label\n');
    assert.equal((await detectLabelStorage(root) as { kind: string }).kind, 'csv');
  });
});
