import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseYoloConfig } from '../../../src/core/dataset/yoloLabels';
import { exportCocoSubset } from '../../../src/core/export/cocoSubset';
import { exportYoloSubset, yoloDataYaml } from '../../../src/core/export/yoloSubset';
import { isAbortError } from '../../../src/core/util/abort';
import { makeTempDir, put, removeTempDir } from '../dataset/fixtures';

const instances = (names: string[], fileNames: string[]) => ({
  text: JSON.stringify({
    images: fileNames.map((file_name, index) => ({ id: index + 1, file_name })),
    annotations: fileNames.map((_, index) => ({ id: index + 1, image_id: index + 1, category_id: 1 })),
    categories: names.map((name, index) => ({ id: index + 1, name })),
  }),
});

describe('export/COCO and YOLO subsets', () => {
  let dir: string;
  let root: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    root = join(dir, 'root');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });
  const item = (path: string) => ({ path, absPath: join(root, path) });
  const leftovers = () => readdirSync(dir).filter((name) => name !== 'root');

  it('refuses COCO files that give one category id two names, before writing anything', async () => {
    await put(root, 'annotations/instances_a.json', instances(['cat'], ['x.png']));
    await put(root, 'annotations/instances_b.json', instances(['dog'], ['y.png']));
    await put(root, 'a/x.png', 'png');
    await put(root, 'b/y.png', 'png');
    await assert.rejects(exportCocoSubset(root, [item('a/x.png')], join(dir, 'out')), /Category id 1 is "cat" in annotations\/instances_a\.json but "dog" in annotations\/instances_b\.json/);
    assert.deepEqual(leftovers(), []);
  });

  it('leaves no folder and no half-written file when an export is cancelled mid-way', async () => {
    await put(root, 'annotations/instances_train.json', instances(['cat'], ['a.png', 'b.png', 'c.png']));
    for (const name of ['a', 'b', 'c']) await put(root, `train/${name}.png`, 'png');
    const controller = new AbortController();
    const items = ['train/a.png', 'train/b.png', 'train/c.png'].map(item);
    await assert.rejects(exportCocoSubset(root, items, join(dir, 'out'), { signal: controller.signal, onProgress: () => controller.abort() }), isAbortError);
    assert.deepEqual(leftovers(), []);

    // The same export, not cancelled, and then never over an existing folder.
    const done = await exportCocoSubset(root, items, join(dir, 'out'));
    assert.deepEqual(done.files, ['train/a.png', 'train/b.png', 'train/c.png']);
    await assert.rejects(exportCocoSubset(root, items, join(dir, 'out')), /already exists/);
    assert.deepEqual(leftovers(), ['out']);
  });

  it('exports a YOLO subset only from a YOLO root, with a data.yaml that reads back the same names', async () => {
    await put(root, 'images/train/a.png', 'png');
    await assert.rejects(exportYoloSubset(root, [item('images/train/a.png')], join(dir, 'out')), /is not a YOLO dataset/);
    assert.equal(existsSync(join(dir, 'out')), false);

    const names = new Map([[0, 'plain'], [1, 'with: colon # and hash'], [2, "it's \"quoted\""], [5, 'gap before, comma'], [6, 'tab\tand \u0001 control, ünïcode']]);
    const text = yoloDataYaml({ names, splits: [{ key: 'train', relPath: 'images/train' }, { key: 'val', relPath: 'images/val' }] }, ['images/train/a.png']);
    const back = parseYoloConfig(text);
    assert.ok(back.ok, text);
    assert.deepEqual([...back.config.names], [...names]);
    assert.deepEqual(back.config.splits, [{ key: 'train', relPath: 'images/train' }], 'only the splits that received images');
  });
});
