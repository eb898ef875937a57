import * as assert from 'node:assert/strict';
import { chmod, open, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAbortError, scanDataset } from '../../../src/core/dataset';
import type { DatasetScan } from '../../../src/core/dataset';
import { makeTempDir, put, removeTempDir } from './fixtures';

const relPaths = (scan: DatasetScan): string[] => scan.images.map((image) => image.relPath);
const imageAt = (scan: DatasetScan, relPath: string) => scan.images.find((image) => image.relPath === relPath);
const problemsOf = (scan: DatasetScan, relPath: string) => scan.problems.filter((problem) => problem.relPath === relPath);

describe('dataset/scanDataset', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    // Undo permission changes first so the folder can be removed.
    await chmod(join(dir, 'locked'), 0o755).catch(() => undefined);
    await removeTempDir(dir);
  });

  it('labels images by their first folder, finds unlabelled ones and skips hidden folders', async () => {
    await put(dir, 'cat/a.png', 'png');
    await put(dir, 'cat/nested/deep/b.jpg', 'jpeg');
    await put(dir, 'cat/c.WEBP', 'webp');
    await put(dir, 'dog/d.gif', 'gif');
    await put(dir, 'dog/e.tiff', 'tiff');
    await put(dir, 'dog/f.bmp', 'bmp');
    await put(dir, 'bird/g.tif', 'tiff');
    await put(dir, 'unlabeled/u1.png', 'png');
    await put(dir, 'unlabeled/sub/u2.jpeg', 'jpeg');
    await put(dir, 'loose.png', 'png');
    await put(dir, 'README.md', { text: '# data' });
    await put(dir, 'cat/notes.txt', { text: 'notes' });
    await put(dir, '.curator/thumbs/a.png', 'png');
    await put(dir, '.hidden/h.png', 'png');
    await put(dir, 'node_modules/pkg/n.png', 'png');

    const scan = await scanDataset(dir);

    assert.equal(scan.root, dir);
    assert.deepEqual(relPaths(scan), [
      'bird/g.tif',
      'cat/a.png',
      'cat/c.WEBP',
      'cat/nested/deep/b.jpg',
      'dog/d.gif',
      'dog/e.tiff',
      'dog/f.bmp',
      'loose.png',
      'unlabeled/sub/u2.jpeg',
      'unlabeled/u1.png',
    ]);
    assert.deepEqual(scan.classes, [
      { name: 'cat', count: 3 },
      { name: 'dog', count: 3 },
      { name: 'bird', count: 1 },
    ]);
    assert.deepEqual(scan.counts, { images: 10, labelled: 7, unlabelled: 3, ignoredFiles: 2 });
    assert.equal(scan.manifest, null);
    assert.deepEqual(scan.problems, []);

    const deep = imageAt(scan, 'cat/nested/deep/b.jpg')!;
    assert.equal(deep.label, 'cat');
    assert.equal(deep.labelSource, 'folder');
    assert.equal(deep.format, 'jpeg');
    assert.equal(deep.absPath, join(dir, 'cat', 'nested', 'deep', 'b.jpg'));
    assert.ok(deep.size > 0 && deep.mtimeMs > 0);
    assert.deepEqual(
      scan.images.map((image) => image.format),
      ['tiff', 'png', 'webp', 'jpeg', 'gif', 'tiff', 'bmp', 'png', 'jpeg', 'png'],
    );
    for (const relPath of ['loose.png', 'unlabeled/u1.png', 'unlabeled/sub/u2.jpeg']) {
      assert.deepEqual([imageAt(scan, relPath)!.label, imageAt(scan, relPath)!.labelSource], [null, null], relPath);
    }
  });

  it('honours a custom unlabelled folder name', async () => {
    await put(dir, 'todo/a.png', 'png');
    await put(dir, 'unlabeled/b.png', 'png');
    const scan = await scanDataset(dir, { unlabeledFolderName: 'todo' });
    assert.equal(imageAt(scan, 'todo/a.png')!.label, null);
    assert.equal(imageAt(scan, 'unlabeled/b.png')!.label, 'unlabeled');
  });

  it('leaves out empty and non-image files named like images, and keeps misnamed images with a warning', async () => {
    await put(dir, 'cat/empty.jpg', Buffer.alloc(0));
    await put(dir, 'cat/text.jpg', { text: 'this is not a JPEG at all' });
    await put(dir, 'cat/really-png.jpg', 'png');
    await put(dir, 'cat/ok.jpg', 'jpeg');

    const scan = await scanDataset(dir);

    assert.deepEqual(relPaths(scan), ['cat/ok.jpg', 'cat/really-png.jpg']);
    assert.equal(imageAt(scan, 'cat/really-png.jpg')!.format, 'png');
    assert.deepEqual(
      scan.problems.map((problem) => [problem.relPath, problem.kind, problem.severity]),
      [
        ['cat/empty.jpg', 'empty-file', 'error'],
        ['cat/really-png.jpg', 'format-mismatch', 'warning'],
        ['cat/text.jpg', 'not-an-image', 'error'],
      ],
    );
    assert.match(problemsOf(scan, 'cat/really-png.jpg')[0]!.message, /named like a JPEG image but contains PNG/);
  });

  it('works with spaces, Unicode, leading dashes and line breaks in names', async () => {
    const names = ['with space.png', 'ünïcödé-猫.png', '-leading-dash.png', 'line\nbreak.png', 'emoji 🐱.png'];
    for (const name of names) await put(dir, `odd class ✓/${name}`, 'png');
    await put(dir, '-dash class/x.png', 'png');

    const scan = await scanDataset(dir);

    assert.deepEqual(relPaths(scan), [...names.map((name) => `odd class ✓/${name}`), '-dash class/x.png'].sort());
    assert.deepEqual(scan.classes, [
      { name: 'odd class ✓', count: 5 },
      { name: '-dash class', count: 1 },
    ]);
    assert.deepEqual(scan.problems, []);
  });

  it('applies labels.csv over folder labels and reports bad rows with their lines', async () => {
    await put(dir, 'cat/a.png', 'png');
    await put(dir, 'cat/b.png', 'png');
    await put(dir, 'dog/c.png', 'png');
    await put(dir, 'unlabeled/u.png', 'png');
    await put(dir, 'unlabeled/v.png', 'png');
    await put(dir, 'cat/empty.png', Buffer.alloc(0));
    await put(dir, 'cat/notes.txt', { text: 'x' });
    await put(dir, '.hidden/h.png', 'png');
    await put(dir, 'labels.jsonl', { text: '{"path": "cat/b.png", "label": "ignored"}\n' });
    await put(dir, 'labels.csv', {
      text: [
        'path,label,notes', // 1
        'cat/a.png,dog,"relabelled, by hand"', // 2
        'unlabeled\\u.png,cat,', // 3
        'dog/c.png,,', // 4
        'missing.png,cat,', // 5
        '../escape.png,cat,', // 6
        'cat/a.png,bird,', // 7
        'cat/empty.png,cat,', // 8
        'cat/notes.txt,cat,', // 9
        '.hidden/h.png,cat,', // 10
        'cat/b.png,cat,too,many', // 11
      ].join('\r\n'),
    });

    const scan = await scanDataset(dir);

    assert.deepEqual(scan.manifest, { relPath: 'labels.csv', kind: 'csv', rows: 7 });
    assert.deepEqual(
      scan.images.map((image) => [image.relPath, image.label, image.labelSource]),
      [
        ['cat/a.png', 'dog', 'manifest'],
        ['cat/b.png', 'cat', 'folder'],
        ['dog/c.png', null, 'manifest'],
        ['unlabeled/u.png', 'cat', 'manifest'],
        ['unlabeled/v.png', null, null],
      ],
    );
    assert.deepEqual(scan.counts, { images: 5, labelled: 3, unlabelled: 2, ignoredFiles: 1 });
    assert.deepEqual(
      problemsOf(scan, 'labels.csv').map((problem) => [problem.line, problem.kind]),
      [
        [5, 'manifest-unknown-file'],
        [6, 'manifest-path-outside-root'],
        [7, 'manifest-duplicate-path'],
        [8, 'manifest-unknown-file'],
        [9, 'manifest-unknown-file'],
        [10, 'manifest-unknown-file'],
        [11, 'manifest-malformed-row'],
      ],
    );
    const messageOnLine = (line: number) => problemsOf(scan, 'labels.csv').find((problem) => problem.line === line)!.message;
    assert.match(messageOnLine(5), /does not exist/);
    assert.match(messageOnLine(8), /left out of the dataset/);
    assert.match(messageOnLine(9), /not an image file/);
    assert.deepEqual(
      problemsOf(scan, 'labels.jsonl').map((problem) => [problem.kind, problem.severity]),
      [['manifest-conflict', 'warning']],
    );
  });

  it('reads labels.jsonl when it is the only manifest', async () => {
    await put(dir, 'unlabeled/a.png', 'png');
    await put(dir, 'unlabeled/b.png', 'png');
    await put(dir, 'labels.jsonl', { text: '{"path":"unlabeled/a.png","label":3}\n{"path":"unlabeled/b.png","label":null}\n' });
    const scan = await scanDataset(dir);
    assert.deepEqual(scan.manifest, { relPath: 'labels.jsonl', kind: 'jsonl', rows: 2 });
    assert.deepEqual(scan.classes, [{ name: '3', count: 1 }]);
    assert.deepEqual(scan.problems, []);
  });

  it('reports a manifest whose header lacks the label column and keeps folder labels', async () => {
    await put(dir, 'cat/a.png', 'png');
    await put(dir, 'labels.csv', { text: 'path,class\ncat/a.png,dog\n' });
    const scan = await scanDataset(dir);
    assert.equal(imageAt(scan, 'cat/a.png')!.label, 'cat');
    assert.deepEqual(scan.problems.map((problem) => [problem.relPath, problem.kind, problem.line]), [
      ['labels.csv', 'manifest-missing-column', 1],
    ]);
  });

  it('follows symlinks inside the root, and reports loops, links out of the root and broken links', async () => {
    const root = join(dir, 'root');
    const outside = join(dir, 'outside');
    await put(outside, 'o.png', 'png');
    await put(root, 'cat/a.png', 'png');
    await symlink('a.png', join(root, 'cat', 'link-to-a.png'));
    await symlink('cat', join(root, 'alias'));
    await symlink('..', join(root, 'cat', 'loop'));
    await symlink(outside, join(root, 'escape'));
    await symlink(join(outside, 'o.png'), join(root, 'cat', 'escape.png'));
    await symlink('nowhere.png', join(root, 'cat', 'broken.png'));
    await symlink('self', join(root, 'self'));

    const scan = await scanDataset(root);

    assert.deepEqual(relPaths(scan), ['alias/a.png', 'alias/link-to-a.png', 'cat/a.png', 'cat/link-to-a.png']);
    assert.equal(imageAt(scan, 'cat/link-to-a.png')!.absPath, join(root, 'cat', 'link-to-a.png'));
    assert.equal(imageAt(scan, 'alias/a.png')!.label, 'alias');
    assert.deepEqual(
      scan.problems.map((problem) => [problem.relPath, problem.kind]),
      [
        ['alias/broken.png', 'broken-symlink'],
        ['alias/escape.png', 'symlink-outside-root'],
        ['alias/loop', 'symlink-loop'],
        ['cat/broken.png', 'broken-symlink'],
        ['cat/escape.png', 'symlink-outside-root'],
        ['cat/loop', 'symlink-loop'],
        ['escape', 'symlink-outside-root'],
        ['self', 'symlink-loop'],
      ],
    );
  });

  it('reports files and folders it cannot read and leaves them out', async () => {
    await put(dir, 'cat/ok.png', 'png');
    const lockedFile = await put(dir, 'cat/locked.png', 'png');
    await put(dir, 'locked/x.png', 'png');
    await chmod(lockedFile, 0o000);
    await chmod(join(dir, 'locked'), 0o000);

    // Root ignores file permissions, so as root the scan runs with the effective user 'nobody'
    // to meet the permissions it would meet as a normal user.
    const scan = await asUnprivilegedUser(() => scanDataset(dir));
    const lockedIsReadable = await asUnprivilegedUser(() => canRead(lockedFile));

    // POSIX systems enforce the permissions (for root through the switch to 'nobody'), so the
    // branch that matters is the one taken there; the other keeps the test honest elsewhere.
    if (process.platform !== 'win32') assert.equal(lockedIsReadable, false, 'the locked file should be unreadable');
    if (lockedIsReadable) {
      assert.deepEqual(relPaths(scan), ['cat/locked.png', 'cat/ok.png', 'locked/x.png']);
      assert.deepEqual(scan.problems, []);
    } else {
      assert.deepEqual(relPaths(scan), ['cat/ok.png']);
      assert.deepEqual(
        scan.problems.map((problem) => [problem.relPath, problem.kind, problem.severity]),
        [
          ['cat/locked.png', 'unreadable', 'error'],
          ['locked', 'unreadable-folder', 'error'],
        ],
      );
      assert.match(problemsOf(scan, 'cat/locked.png')[0]!.message, /EACCES|EPERM/);
    }
  });

  it('reports progress, ending with every file seen', async () => {
    for (let i = 0; i < 300; i++) await put(dir, `c${i % 3}/${i}.png`, 'png');
    await put(dir, 'c0/readme.txt', { text: 'x' });
    const seen: number[] = [];
    await scanDataset(dir, { onProgress: (filesSeen) => seen.push(filesSeen) });
    assert.ok(seen.length >= 1 && seen.length < 301, `${seen.length} progress calls`);
    assert.equal(seen[seen.length - 1], 301);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'progress never goes backwards');
  });

  it('stops with an AbortError when its signal fires', async () => {
    for (let i = 0; i < 200; i++) await put(dir, `c/${i}.png`, 'png');
    await assert.rejects(scanDataset(dir, { signal: AbortSignal.abort() }), (error) => isAbortError(error));

    const controller = new AbortController();
    let progressAfterAbort = 0;
    const scanning = scanDataset(dir, {
      signal: controller.signal,
      onProgress: () => {
        if (controller.signal.aborted) progressAfterAbort++;
        controller.abort();
      },
    });
    await assert.rejects(scanning, (error: Error) => isAbortError(error) && error.name === 'AbortError');
    assert.ok(progressAfterAbort <= 1, 'the scan stops soon after the abort');
  });

  it('rejects a root that is not a folder', async () => {
    const file = await put(dir, 'a.png', 'png');
    await assert.rejects(scanDataset(file), /not a folder/);
    await assert.rejects(scanDataset(join(dir, 'missing')), { code: 'ENOENT' });
  });

  it('sorts a larger dataset deterministically', async () => {
    const names: string[] = [];
    for (let i = 0; i < 500; i++) names.push(`class${i % 7}/${String(i * 7919 % 1000).padStart(4, '0')}-${i}.png`);
    await Promise.all(names.map((name) => put(dir, name, 'png')));
    const [first, second] = [await scanDataset(dir), await scanDataset(dir)];
    assert.deepEqual(relPaths(first), [...names].sort());
    assert.deepEqual(relPaths(second), relPaths(first));
    assert.equal(first.classes.reduce((sum, entry) => sum + entry.count, 0), 500);
  });
});

async function canRead(path: string): Promise<boolean> {
  try {
    await (await open(path, 'r')).close();
    return true;
  } catch {
    return false;
  }
}

/** Runs task with the effective user 'nobody' when the tests run as root, else as the current user. */
async function asUnprivilegedUser<T>(task: () => Promise<T>): Promise<T> {
  const isRoot = process.geteuid?.() === 0;
  if (!isRoot || !process.seteuid) return task();
  const NOBODY = 65534;
  process.seteuid(NOBODY);
  try {
    return await task();
  } finally {
    process.seteuid(0);
  }
}

