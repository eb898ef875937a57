import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsvManifest, parseJsonlManifest, scanDataset } from '../../../src/core/dataset';
import { ManifestLabelWriter } from '../../../src/core/labels';
import { tempDir } from '../../support/paths';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55', 'hex');

async function makeRoot(manifestName: string, manifest: string, images: string[]): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir('labels-manifest');
  for (const image of images) {
    await mkdir(join(dir, image, '..'), { recursive: true });
    await writeFile(join(dir, image), PNG);
  }
  await writeFile(join(dir, manifestName), manifest);
  return { root: dir, cleanup };
}

describe('ManifestLabelWriter: CSV', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it('changes only the label fields it is asked to, keeping BOM, CRLF, quoting, extra columns and unreadable rows', async () => {
    const original =
      '\uFEFF"id","path","label","notes"\r\n' +
      '"1","a.png","cat","first, with comma"\r\n' +
      '"2","b.png","dog","said ""woof"""\r\n' +
      'this "row" is broken,x\r\n' +
      '\r\n' +
      '"3","c.png","","multi\r\nline note"\r\n';
    ({ root, cleanup } = await makeRoot('labels.csv', original, ['a.png', 'b.png', 'c.png']));
    const writer = await ManifestLabelWriter.open(root);
    const result = await writer.apply([
      { relPath: 'b.png', label: 'wolf' },
      { relPath: 'c.png', label: 'bird' },
    ]);
    assert.deepEqual(result.refused, []);
    assert.deepEqual(result.applied, [
      { oldRelPath: 'b.png', newRelPath: 'b.png', oldLabel: 'dog', newLabel: 'wolf' },
      { oldRelPath: 'c.png', newRelPath: 'c.png', oldLabel: null, newLabel: 'bird' },
    ]);
    const written = await readFile(join(root, 'labels.csv'), 'utf8');
    assert.equal(written, original.replace('"dog"', '"wolf"').replace('"3","c.png",""', '"3","c.png","bird"'));
  });

  it('round-trips a file byte for byte when labels are set back', async () => {
    const original = 'path,label,split\na.png,cat,train\nb.png,,val\n"odd, name.png",dog,test';
    ({ root, cleanup } = await makeRoot('labels.csv', original, ['a.png', 'b.png', 'odd, name.png']));
    const writer = await ManifestLabelWriter.open(root);
    await writer.apply([{ relPath: 'a.png', label: 'x' }, { relPath: 'b.png', label: 'y' }, { relPath: 'odd, name.png', label: 'z, "q"' }]);
    const changed = await readFile(join(root, 'labels.csv'), 'utf8');
    assert.equal(changed, 'path,label,split\na.png,x,train\nb.png,y,val\n"odd, name.png","z, ""q""",test');
    assert.deepEqual(parseCsvManifest(changed).rows.map((row) => row.label), ['x', 'y', 'z, "q"']);
    await writer.apply([{ relPath: 'a.png', label: 'cat' }, { relPath: 'b.png', label: null }, { relPath: 'odd, name.png', label: 'dog' }]);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), original);
  });

  it('adds rows for files not listed yet, in the file style, and the scanner reads them back', async () => {
    ({ root, cleanup } = await makeRoot('labels.csv', 'path,label,score\r\nunlabeled/a.png,cat,0.5', ['unlabeled/a.png', 'unlabeled/b.png', 'cat/c.png']));
    const writer = await ManifestLabelWriter.open(root);
    const result = await writer.apply([
      { relPath: 'unlabeled\\b.png', label: 'dog' },
      { relPath: 'cat/c.png', label: null },
    ]);
    assert.deepEqual(result.applied.map((change) => [change.oldRelPath, change.oldLabel, change.newLabel]), [
      ['unlabeled/b.png', null, 'dog'],
      ['cat/c.png', 'cat', null],
    ]);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label,score\r\nunlabeled/a.png,cat,0.5\r\nunlabeled/b.png,dog,\r\ncat/c.png,,');
    const scan = await scanDataset(root, { unlabeledFolderName: 'unlabeled' });
    const labels = Object.fromEntries(scan.images.map((image) => [image.relPath, image.label]));
    assert.deepEqual(labels, { 'cat/c.png': null, 'unlabeled/a.png': 'cat', 'unlabeled/b.png': 'dog' });
  });

  it('refuses paths outside the root, missing files and bad labels, and writes nothing for them', async () => {
    const original = 'path,label\na.png,cat\n';
    ({ root, cleanup } = await makeRoot('labels.csv', original, ['a.png']));
    const writer = await ManifestLabelWriter.open(root);
    const result = await writer.apply([
      { relPath: '../a.png', label: 'x' },
      { relPath: 'missing.png', label: 'x' },
      { relPath: 'a.png', label: 'two\nlines' },
      { relPath: 'a.png', label: 'cat' },
    ]);
    assert.equal(result.refused.length, 3);
    assert.match(result.refused[0]!.reason, /outside the dataset root/);
    assert.match(result.refused[1]!.reason, /does not exist/);
    assert.match(result.refused[2]!.reason, /line break/);
    assert.equal(result.unchanged.length, 1);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), original);
  });

  it('refuses to write a CSV whose header has no label column', async () => {
    ({ root, cleanup } = await makeRoot('labels.csv', 'file,class\na.png,cat\n', ['a.png']));
    const writer = await ManifestLabelWriter.open(root);
    const result = await writer.apply([{ relPath: 'a.png', label: 'dog' }]);
    assert.match(result.refused[0]?.reason ?? '', /no "path" and "label" columns/);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'file,class\na.png,cat\n');
  });

  it('merges with a change made on disk since it was read when the rows differ', async () => {
    ({ root, cleanup } = await makeRoot('labels.csv', 'path,label\na.png,cat\nb.png,dog\n', ['a.png', 'b.png', 'c.png']));
    const writer = await ManifestLabelWriter.open(root);
    // Someone else (another window, a script) edits b.png and adds c.png.
    await writeFile(join(root, 'labels.csv'), 'path,label\na.png,cat\nb.png,wolf\nc.png,bird\n');
    const result = await writer.apply([{ relPath: 'a.png', label: 'lion' }]);
    assert.deepEqual(result.refused, []);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\na.png,lion\nb.png,wolf\nc.png,bird\n');
  });

  it('refuses, with a clear message, a row that was changed differently on disk; applies the rest', async () => {
    ({ root, cleanup } = await makeRoot('labels.csv', 'path,label\na.png,cat\nb.png,dog\n', ['a.png', 'b.png']));
    const writer = await ManifestLabelWriter.open(root);
    await writeFile(join(root, 'labels.csv'), 'path,label\na.png,tiger\nb.png,dog\n');
    const result = await writer.apply([{ relPath: 'a.png', label: 'lion' }, { relPath: 'b.png', label: 'wolf' }]);
    assert.equal(result.refused.length, 1);
    assert.match(result.refused[0]!.reason, /labels\.csv was changed on disk since it was read, and a\.png is now labelled "tiger" there; it was not overwritten with "lion"/);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\na.png,tiger\nb.png,wolf\n');
    // The user has now seen the other label: applying again replaces it.
    const again = await writer.apply([{ relPath: 'a.png', label: 'lion' }]);
    assert.deepEqual(again.refused, []);
    assert.equal(await readFile(join(root, 'labels.csv'), 'utf8'), 'path,label\na.png,lion\nb.png,wolf\n');
  });

  it('treats the same change made on both sides as no conflict', async () => {
    ({ root, cleanup } = await makeRoot('labels.csv', 'path,label\na.png,cat\n', ['a.png']));
    const writer = await ManifestLabelWriter.open(root);
    await writeFile(join(root, 'labels.csv'), 'path,label\na.png,lion\n');
    const result = await writer.apply([{ relPath: 'a.png', label: 'lion' }]);
    assert.deepEqual(result.refused, []);
    assert.equal(result.unchanged.length, 1);
  });

  it('serialises concurrent writes from two writers in one process without losing either', async () => {
    const images = Array.from({ length: 40 }, (_, i) => `i${i}.png`);
    ({ root, cleanup } = await makeRoot('labels.csv', 'path,label\n', images));
    const [first, second] = await Promise.all([ManifestLabelWriter.open(root), ManifestLabelWriter.open(root)]);
    await Promise.all(images.map((relPath, i) => (i % 2 === 0 ? first : second).apply([{ relPath, label: `c${i}` }])));
    const rows = parseCsvManifest(await readFile(join(root, 'labels.csv'), 'utf8')).rows;
    assert.equal(rows.length, 40);
    for (const row of rows) assert.equal(row.label, `c${row.relPath.slice(1, -4)}`);
    assert.deepEqual((await readdir(root)).filter((name) => name.startsWith('.')), [], 'no lock or temp file is left');
  });
  // Waiting for another process's write: test/system/labels/manifestLock.test.ts.

});

describe('ManifestLabelWriter: JSONL', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it('keeps keys, their order, spacing, unknown fields and malformed lines; writes null for unlabelled', async () => {
    const original =
      '{"path": "a.png", "label": "cat", "meta": {"by": "ann", "score": 0.5}}\r\n' +
      'not json at all\r\n' +
      '{"label": 3, "path": "b.png"}\r\n';
    ({ root, cleanup } = await makeRoot('labels.jsonl', original, ['a.png', 'b.png', 'c.png']));
    const writer = await ManifestLabelWriter.open(root);
    const result = await writer.apply([
      { relPath: 'a.png', label: null },
      { relPath: 'b.png', label: '4' },
      { relPath: 'c.png', label: 'bird' },
    ]);
    assert.deepEqual(result.refused, []);
    assert.deepEqual(result.applied.map((change) => change.oldLabel), ['cat', '3', null]);
    const written = await readFile(join(root, 'labels.jsonl'), 'utf8');
    assert.equal(
      written,
      '{"path": "a.png", "label": null, "meta": {"by":"ann","score":0.5}}\r\n' +
        'not json at all\r\n' +
        '{"label": "4", "path": "b.png"}\r\n' +
        '{"path": "c.png", "label": "bird"}\r\n',
    );
    assert.deepEqual(parseJsonlManifest(written).rows.map((row) => [row.relPath, row.label]), [
      ['a.png', null],
      ['b.png', '4'],
      ['c.png', 'bird'],
    ]);
  });

  it('keeps a BOM and leaves untouched lines exactly as they were', async () => {
    const original = '\uFEFF{"path":"a.png","label":"cat"}\n{"path":"b.png","label":"dog","w":1.50}';
    ({ root, cleanup } = await makeRoot('labels.jsonl', original, ['a.png', 'b.png']));
    const writer = await ManifestLabelWriter.open(root);
    await writer.apply([{ relPath: 'a.png', label: 'lynx' }]);
    assert.equal(await readFile(join(root, 'labels.jsonl'), 'utf8'), '\uFEFF{"path":"a.png","label":"lynx"}\n{"path":"b.png","label":"dog","w":1.50}');
  });
});
