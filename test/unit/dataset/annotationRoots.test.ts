import * as assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { findDatasetRoots, NO_OBJECTS_LABEL, scanDataset, type DatasetScan } from '../../../src/core/dataset';
import { parseCocoInstances } from '../../../src/core/dataset/cocoInstances';
import { makeTempDir, put, removeTempDir } from './fixtures';

const imageAt = (scan: DatasetScan, relPath: string) => scan.images.find((image) => image.relPath === relPath);
const labelsOf = (scan: DatasetScan) => Object.fromEntries(scan.images.map((image) => [image.relPath, [image.label, image.labelSource, image.classes]]));
const problemKinds = (scan: DatasetScan) => scan.problems.map((problem) => [problem.relPath, problem.kind]);

const coco = (images: unknown[], annotations: unknown[], categories: unknown[] = [{ id: 1, name: 'cat' }, { id: 2, name: 'dog' }]) =>
  ({ text: JSON.stringify({ images, annotations, categories }) });

describe('dataset/COCO and YOLO roots', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('parses a COCO instances file entry by entry, reporting each bad entry and keeping the rest', () => {
    const text = JSON.stringify({
      info: { year: 2026 },
      images: [{ id: 1, file_name: 'a.png' }, { id: 1, file_name: 'b.png' }, { id: 2, file_name: 'a.png' }, { id: 'x', file_name: 'c.png' }, { id: 3, file_name: 'd.png' }],
      annotations: [{ image_id: 1, category_id: 1 }, { image_id: 1, category_id: 9 }, { image_id: 7, category_id: 1 }, { image_id: 3 }, { image_id: 3, category_id: 2 }],
      categories: [{ id: 1, name: 'cat' }, { id: 1, name: 'lion' }, { id: 2, name: 'dog' }, { name: 'nameless' }],
    });
    const parsed = parseCocoInstances(text, 'annotations/instances_x.json');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.instances.images.map((image) => [image.id, image.fileName, image.annotations.length]), [[1, 'a.png', 1], [3, 'd.png', 1]]);
    assert.deepEqual([...parsed.instances.categories], [[1, 'cat'], [2, 'dog']]);
    assert.deepEqual(parsed.instances.extra, { info: { year: 2026 } });
    assert.deepEqual(parsed.problems.map((problem) => problem.kind).sort(), [
      'annotation-duplicate-image',
      'annotation-duplicate-image',
      'annotation-malformed',
      'annotation-malformed',
      'annotation-malformed',
      'annotation-malformed',
      'annotation-malformed',
      'annotation-unknown-class',
    ]);
    for (const [bad, why] of [['{"images": [', /not valid JSON/], ['[1]', /not a JSON object/], ['{"images": [], "annotations": []}', /no "categories" list/]] as const) {
      const refused = parseCocoInstances(bad, 'annotations/instances_x.json');
      assert.ok(!refused.ok);
      assert.equal(refused.problem.kind, 'annotations-unreadable');
      assert.match(refused.problem.message, why);
    }
  });

  it('finds COCO and YOLO roots by their annotation files', async () => {
    await put(dir, 'coco/annotations/instances_val.json', coco([], []));
    await put(dir, 'coco/images/val/a.png', 'png');
    await put(dir, 'yolo/data.yaml', { text: 'names: [cat]\n' });
    await put(dir, 'yolo/images/train/a.png', 'png');
    await put(dir, 'notcoco/annotations/captions_val.json', { text: '{}' });
    assert.deepEqual(await findDatasetRoots(dir), [join(dir, 'coco'), join(dir, 'yolo')]);
  });

  it('labels a COCO root from its instances files: all classes per image, the most frequent as the label', async () => {
    await put(dir, 'annotations/instances_train.json', coco(
      [{ id: 1, file_name: 'a.png' }, { id: 2, file_name: 'b.png' }, { id: 3, file_name: 'c.png' }, { id: 4, file_name: 'gone.png' }, { id: 5, file_name: '../../etc/x.png' }],
      [{ image_id: 1, category_id: 2 }, { image_id: 1, category_id: 1 }, { image_id: 1, category_id: 1 }, { image_id: 2, category_id: 2 }, { image_id: 2, category_id: 1 }],
    ));
    await put(dir, 'annotations/instances_val.json', coco([{ id: 1, file_name: 'v.png' }, { id: 2, file_name: 'c.png' }], [{ image_id: 1, category_id: 2 }]));
    await put(dir, 'train/a.png', 'png');
    await put(dir, 'images/train/b.png', 'png');
    await put(dir, 'c.png', 'png');
    await put(dir, 'images/val/v.png', 'png');
    await put(dir, 'train/new.png', 'png');

    const scan = await scanDataset(dir);
    assert.deepEqual(labelsOf(scan), {
      'c.png': [NO_OBJECTS_LABEL, 'coco', []],
      'images/train/b.png': ['cat', 'coco', ['cat', 'dog']],
      'images/val/v.png': ['dog', 'coco', ['dog']],
      'train/a.png': ['cat', 'coco', ['cat', 'dog']],
      // Not in any file: unlabelled (the first folder is a split, not a class).
      'train/new.png': [null, null, undefined],
    });
    // Images per class: an image counts once for each class in it.
    assert.deepEqual(scan.classes, [{ name: 'dog', count: 3 }, { name: 'cat', count: 2 }, { name: NO_OBJECTS_LABEL, count: 1 }]);
    assert.deepEqual(scan.manifest, { relPath: 'annotations/instances_train.json', kind: 'coco', rows: 4, files: ['annotations/instances_train.json', 'annotations/instances_val.json'] });
    assert.deepEqual(problemKinds(scan), [
      ['annotations/instances_train.json', 'annotation-unknown-file'],
      ['annotations/instances_train.json', 'annotation-path-outside-root'],
      ['annotations/instances_val.json', 'annotation-duplicate-image'],
    ]);
    assert.equal(scan.counts.labelled, 4);
  });

  it('reads Roboflow\'s COCO layout, one _annotations.coco.json per split folder beside its images', async () => {
    await put(dir, 'train/_annotations.coco.json', coco([{ id: 1, file_name: 'a.png' }], [{ image_id: 1, category_id: 2 }]));
    await put(dir, 'valid/_annotations.coco.json', coco([{ id: 1, file_name: 'a.png' }], [{ image_id: 1, category_id: 1 }]));
    await put(dir, 'train/a.png', 'png');
    await put(dir, 'valid/a.png', 'png');
    await put(dir, 'test/a.png', 'png');
    const scan = await scanDataset(dir);
    assert.deepEqual(labelsOf(scan), {
      'test/a.png': [null, null, undefined],
      'train/a.png': ['dog', 'coco', ['dog']],
      'valid/a.png': ['cat', 'coco', ['cat']],
    });
    assert.deepEqual(scan.manifest?.files, ['train/_annotations.coco.json', 'valid/_annotations.coco.json']);
    assert.deepEqual(scan.problems, []);
  });

  it('keeps scanning when an instances file is malformed, and lets labels.csv win over annotations', async () => {
    await put(dir, 'annotations/instances_train.json', { text: '{"images": [' });
    await put(dir, 'train/a.png', 'png');
    const broken = await scanDataset(dir);
    assert.deepEqual(problemKinds(broken), [['annotations/instances_train.json', 'annotations-unreadable']]);
    assert.equal(imageAt(broken, 'train/a.png')!.label, null);

    await put(dir, 'labels.csv', { text: 'path,label\ntrain/a.png,dog\n' });
    const manifest = await scanDataset(dir);
    assert.equal(imageAt(manifest, 'train/a.png')!.label, 'dog');
    assert.equal(manifest.manifest!.kind, 'csv');
    assert.ok(manifest.problems.some((problem) => problem.kind === 'annotations-conflict'));
  });

  it('labels a YOLO root from its label files and reports bad lines, orphans and shared stems per item', async () => {
    await put(dir, 'data.yaml', { text: 'train: images/train\nval: images/val\ntest: ../../outside\nnames:\n  0: cat\n  1: dog\n' });
    await put(dir, 'images/train/a.png', 'png');
    await put(dir, 'labels/train/a.txt', { text: '1 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2 0.2\n0 0.2 0.2 0.1 0.1\n' });
    await put(dir, 'images/train/b.png', 'png');
    await put(dir, 'labels/train/b.txt', { text: '' });
    await put(dir, 'images/train/c.png', 'png');
    await put(dir, 'labels/train/c.txt', { text: '4 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2 0.2\n' });
    await put(dir, 'images/train/twin.png', 'png');
    await put(dir, 'images/train/twin.jpg', 'jpeg');
    await put(dir, 'labels/train/twin.txt', { text: '0 0.5 0.5 0.2 0.2\n' });
    await put(dir, 'labels/train/orphan.txt', { text: '0 0.5 0.5 0.2 0.2\n' });
    await put(dir, 'images/val/u.png', 'png');

    const scan = await scanDataset(dir);
    assert.deepEqual(labelsOf(scan), {
      'images/train/a.png': ['cat', 'yolo', ['cat', 'dog']],
      'images/train/b.png': [NO_OBJECTS_LABEL, 'yolo', []],
      'images/train/c.png': ['dog', 'yolo', ['dog']],
      'images/train/twin.jpg': [null, null, undefined],
      'images/train/twin.png': [null, null, undefined],
      'images/val/u.png': [null, null, undefined],
    });
    assert.deepEqual(problemKinds(scan), [
      ['data.yaml', 'annotation-path-outside-root'],
      ['labels/train/c.txt', 'annotation-unknown-class'],
      ['labels/train/orphan.txt', 'annotation-unknown-file'],
      ['labels/train/twin.txt', 'annotation-duplicate-image'],
    ]);
    assert.deepEqual(scan.manifest, { relPath: 'data.yaml', kind: 'yolo', rows: 3, files: ['data.yaml'] });
  });

  it('does not read annotation files that are symlinks out of the root', async () => {
    await put(dir, 'elsewhere/instances.json', coco([{ id: 1, file_name: 'a.png' }], [{ image_id: 1, category_id: 1 }]));
    await put(dir, 'elsewhere/data.yaml', { text: 'names: [cat]\n' });
    await put(dir, 'coco/train/a.png', 'png');
    await put(dir, 'yolo/images/train/a.png', 'png');
    await put(dir, 'yolo/labels/train/a.txt', { text: '0 0.5 0.5 0.2 0.2\n' });
    await put(dir, 'coco/annotations/.keep', { text: '' });
    await symlink(join(dir, 'elsewhere', 'instances.json'), join(dir, 'coco', 'annotations', 'instances_train.json'));
    await symlink(join(dir, 'elsewhere', 'data.yaml'), join(dir, 'yolo', 'data.yaml'));
    for (const [root, file, image] of [['coco', 'annotations/instances_train.json', 'train/a.png'], ['yolo', 'data.yaml', 'images/train/a.png']]) {
      const scan = await scanDataset(join(dir, root!));
      assert.equal(imageAt(scan, image!)!.label, null, root);
      assert.ok(scan.problems.some((problem) => problem.relPath === file && problem.kind === 'annotation-path-outside-root'), JSON.stringify(scan.problems));
    }
  });

  it('reports an unreadable data.yaml and leaves every image unlabelled rather than labelled by folder', async () => {
    await put(dir, 'data.yaml', { text: 'names: [cat\n' });
    await put(dir, 'images/train/a.png', 'png');
    await put(dir, 'labels/train/a.txt', { text: '0 0.5 0.5 0.2 0.2\n' });
    const scan = await scanDataset(dir);
    assert.equal(imageAt(scan, 'images/train/a.png')!.label, null);
    assert.deepEqual(problemKinds(scan), [['data.yaml', 'annotations-unreadable']]);
  });
});
