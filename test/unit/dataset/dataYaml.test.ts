import * as assert from 'node:assert/strict';
import { DataYamlError, parseDataYaml } from '../../../src/core/dataset/dataYaml';
import { parseYoloConfig, parseYoloLabelFile, yoloLabelPath } from '../../../src/core/dataset/yoloLabels';

const refusal = (text: string): string => {
  try {
    parseDataYaml(text);
  } catch (error) {
    assert.ok(error instanceof DataYamlError, String(error));
    return error.message;
  }
  assert.fail(`accepted: ${JSON.stringify(text)}`);
};

describe('dataset/dataYaml', () => {
  it('reads scalars, quotes, comments and the three ways of writing names', () => {
    const values = parseDataYaml(
      [
        '\uFEFF# Ultralytics layout',
        '---',
        'path: ../datasets/coco8 # where it lives',
        "train: 'images/train # not a comment'",
        'val: "images/val"',
        'test:',
        '',
        'names:',
        '  0: person',
        "  1: 'traffic light'",
        '  2: "say \\"cheese\\""',
        'flow: [a, "b, c", \'it\'\'s\']',
        'map: {0: x, 1: y}',
        'list:',
        '- one',
        '- two # second',
      ].join('\r\n'),
    );
    assert.equal(values.get('path'), '../datasets/coco8');
    assert.equal(values.get('train'), 'images/train # not a comment');
    assert.equal(values.get('val'), 'images/val');
    assert.equal(values.get('test'), '');
    assert.deepEqual(values.get('names'), [['0', 'person'], ['1', 'traffic light'], ['2', 'say "cheese"']]);
    assert.deepEqual(values.get('flow'), ['a', 'b, c', "it's"]);
    assert.deepEqual(values.get('map'), [['0', 'x'], ['1', 'y']]);
    assert.deepEqual(values.get('list'), ['one', 'two']);
  });

  it('reads the files Ultralytics and Roboflow write: a download script as a block string, a nested map of metadata', () => {
    const ultralytics = parseDataYaml(
      [
        '# Train/val/test sets as 1) dir: path/to/imgs, 2) file: path/to/imgs.txt, or 3) list: [path/to/imgs1, path/to/imgs2, ..]',
        'path: ../datasets/coco # dataset root dir',
        "train: train2017.txt # train images (relative to 'path') 118287 images",
        'test: # 20288 of 40670 images',
        '',
        '# Classes',
        'names:',
        '  0: person',
        '  1: bicycle',
        '',
        '# Download script/URL (optional)',
        'download: |',
        '  from pathlib import Path',
        '',
        "  # Download labels: it's a comment inside the string",
        "  dir = Path(yaml['path'])  # dataset root dir",
        "  urls = ['http://images.cocodataset.org/zips/train2017.zip',  # 19G, 118k images",
        "          'http://images.cocodataset.org/zips/val2017.zip']",
        '',
      ].join('\n'),
    );
    assert.deepEqual(ultralytics.get('names'), [['0', 'person'], ['1', 'bicycle']]);
    assert.equal(ultralytics.get('test'), '');
    assert.equal(
      ultralytics.get('download'),
      "from pathlib import Path\n\n# Download labels: it's a comment inside the string\ndir = Path(yaml['path'])  # dataset root dir\nurls = ['http://images.cocodataset.org/zips/train2017.zip',  # 19G, 118k images\n        'http://images.cocodataset.org/zips/val2017.zip']",
    );
    const roboflow = parseDataYaml("train: ../train/images\nval: ../valid/images\n\nnc: 2\nnames: ['a b', 'c']\n\nroboflow:\n  workspace: w\n  license: CC BY 4.0\n  url: https://universe.roboflow.com/w/p/1\n");
    assert.deepEqual(roboflow.get('names'), ['a b', 'c']);
    assert.deepEqual(roboflow.get('roboflow'), [['workspace', 'w'], ['license', 'CC BY 4.0'], ['url', 'https://universe.roboflow.com/w/p/1']]);
  });

  it('refuses what it cannot read faithfully, naming the line', () => {
    assert.match(refusal('names: [a, b'), /line 1: .*close/);
    assert.match(refusal('a: 1\na: 2'), /line 2: "a" is given twice/);
    assert.match(refusal('names:\n  - a\n    - b'), /line 3: .*indentation/);
    assert.match(refusal('names:\n  0: a\n  0: b'), /line 3: "0" is given twice/);
    assert.match(refusal("names: 'open"), /not closed/);
    assert.match(refusal('names: &anchor [a]'), /anchors/);
    assert.match(refusal('names: !!seq [a]'), /tags/);
    assert.match(refusal('names: [a, [b]]'), /nested/);
    assert.match(refusal('just text'), /line 1: expected "key: value"/);
    assert.match(refusal('  indented: 1'), /unexpected indentation/);
    assert.match(refusal('names: [a, , b]'), /empty item/);
    assert.match(refusal('names:\n\t- a'), /tabs/);
  });
});

describe('dataset/yoloLabels', () => {
  it('reads names as a list or an id map, and keeps the splits that lie inside the root', () => {
    const listed = parseYoloConfig('names: [cat, dog]\ntrain: images/train\nval: [images/val, ../../outside]\ntest: /abs/test\n');
    assert.ok(listed.ok);
    assert.deepEqual([...listed.config.names], [[0, 'cat'], [1, 'dog']]);
    assert.deepEqual(listed.config.splits, [{ key: 'train', relPath: 'images/train' }, { key: 'val', relPath: 'images/val' }]);
    assert.deepEqual(listed.problems.map((problem) => problem.kind), ['annotation-path-outside-root', 'annotation-path-outside-root']);

    // Ultralytics' rule for `../`, which Roboflow exports rely on: `../train/images` is `train/images`.
    const roboflow = parseYoloConfig('train: ../train/images\nval: ../valid/images\ntest: ../../test/images\nnames: [a]\n');
    assert.ok(roboflow.ok);
    assert.deepEqual(roboflow.config.splits, [{ key: 'train', relPath: 'train/images' }, { key: 'val', relPath: 'valid/images' }]);
    assert.deepEqual(roboflow.problems.map((problem) => problem.kind), ['annotation-path-outside-root']);

    const mapped = parseYoloConfig('nc: 3\nnames:\n  0: cat\n  5: dog\n');
    assert.ok(mapped.ok);
    assert.deepEqual([...mapped.config.names], [[0, 'cat'], [5, 'dog']]);
    assert.match(mapped.problems[0]!.message, /nc: 3 but "names" has 2 classes/);
  });

  it('refuses a data.yaml without usable names', () => {
    for (const [text, why] of [
      ['train: images/train\n', /no "names"/],
      ['names:\n  a: cat\n', /not a whole number/],
      ['names: [cat, cat]\n', /one class name to two ids/],
      ['names: [cat\n', /cannot be read: line 1/],
    ] as const) {
      const result = parseYoloConfig(text);
      assert.ok(!result.ok, text);
      assert.equal(result.problem.kind, 'annotations-unreadable');
      assert.match(result.problem.message, why);
    }
  });

  it('finds the label file beside the last images folder', () => {
    assert.equal(yoloLabelPath('images/train/a.jpg'), 'labels/train/a.txt');
    assert.equal(yoloLabelPath('images/a.b.png'), 'labels/a.b.txt');
    assert.equal(yoloLabelPath('set/images/images/x/y.PNG'), 'set/images/labels/x/y.txt');
    assert.equal(yoloLabelPath('train/a.jpg'), undefined);
    assert.equal(yoloLabelPath('images.png'), undefined);
  });

  it('reads object lines and reports malformed lines and unknown class ids by line', () => {
    const names = new Map([[0, 'cat'], [1, 'dog']]);
    const { classes, problems } = parseYoloLabelFile('0 0.5 0.5 0.2 0.2\n\n1 0.1 0.1 0.2 0.2 0.3 0.3\n7 0.5 0.5 0.1 0.1\ncat 0.5 0.5 0.1 0.1\n0 0.5 0.5\n1 1.5 0.5 0.1 0.1\n', names, 'labels/a.txt');
    assert.deepEqual(classes, ['cat', 'dog', 'dog']);
    assert.deepEqual(problems.map((problem) => [problem.line, problem.kind, problem.severity]), [
      [4, 'annotation-unknown-class', 'error'],
      [5, 'annotation-malformed', 'error'],
      [6, 'annotation-malformed', 'error'],
      [7, 'annotation-malformed', 'warning'],
    ]);
    assert.ok(problems.every((problem) => problem.relPath === 'labels/a.txt'));
  });
});
