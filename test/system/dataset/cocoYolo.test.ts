// COCO and YOLO roots through the `curator` command line on real photographs: scanned with all
// classes per image, selected from like any root, exported as subsets that scan back the same.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotatedFacts, makeCocoRoot, makeYoloRoot } from '../../fixtures/annotatedDatasets';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';
import { NO_OBJECTS_LABEL, scanDataset, type DatasetScan } from '../../../src/core/dataset';

type Facts = Record<string, string[] | null>;

/** What a scan should say about each image, from the fixture's facts. */
const expectedLabels = (facts: Facts) =>
  Object.fromEntries(Object.entries(facts).map(([path, classes]) => [path, classes === null ? [null, undefined] : [classes[0] ?? NO_OBJECTS_LABEL, classes]]));
const scannedLabels = (scan: DatasetScan) => Object.fromEntries(scan.images.map((image) => [image.relPath, [image.label, image.classes]]));
const unlabelledOf = (facts: Facts) => Object.keys(facts).filter((path) => facts[path] === null);

describe('COCO and YOLO roots from the command line', function () {
  this.timeout(300_000);
  let workDir = '';
  let folder = '';
  let cleanup: () => Promise<void>;
  const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('coco-yolo'));
    folder = join(workDir, 'workspace');
    await makeCocoRoot(folder);
    await makeYoloRoot(folder);
  });
  after(() => cleanup());

  it('scan finds both roots and reports every class of every image, and the kind of annotations', async () => {
    const run = await curator('scan', folder, '--json');
    assert.equal(run.code, 0, run.stderr);
    const { roots } = JSON.parse(run.stdout);
    assert.deepEqual(roots.map((root: { root: string }) => root.root), ['coco', 'yolo']);
    for (const [root, facts] of [[roots[0], annotatedFacts.coco], [roots[1], annotatedFacts.yolo]] as const) {
      assert.deepEqual(root.problems, []);
      const images = Object.values(facts);
      assert.equal(root.counts.unlabelled, images.filter((classes) => classes === null).length);
      // Images per class: an image counts once for each class in it.
      const expected = new Map<string, number>();
      for (const classes of images) for (const name of classes === null ? [] : classes.length === 0 ? [NO_OBJECTS_LABEL] : classes) expected.set(name, (expected.get(name) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(root.classes.map((c: { name: string; count: number }) => [c.name, c.count])), Object.fromEntries(expected));
    }
    assert.equal(roots[0].manifest.kind, 'coco');
    assert.equal(roots[1].manifest.kind, 'yolo');
    const text = await curator('scan', folder);
    assert.match(text.stdout, /coco: .* labels from COCO annotations\/instances_train\.json, 4 images annotated/);
    assert.match(text.stdout, /yolo: .* labels from YOLO data\.yaml, 4 images annotated/);

    assert.deepEqual(scannedLabels(await scanDataset(join(folder, 'coco'))), expectedLabels(annotatedFacts.coco));
    assert.deepEqual(scannedLabels(await scanDataset(join(folder, 'yolo'))), expectedLabels(annotatedFacts.yolo));
  });

  for (const kind of ['coco', 'yolo'] as const) {
    it(`select picks from the images no annotation covers, and export-selection --as ${kind} writes a subset that scans back the same`, async () => {
      const root = join(folder, kind);
      const facts: Facts = annotatedFacts[kind];
      const embed = await curator('embed', folder, '--root', root, '--provider', 'cpu', '--quiet');
      assert.equal(embed.code, 0, embed.stderr);
      const select = await curator('select', folder, '--root', root, '--budget', '5', '--json', '--quiet');
      assert.equal(select.code, 0, select.stderr);
      const picked = JSON.parse(select.stdout).items.map((item: { path: string }) => item.path);
      // Paths are relative to the folder given.
      assert.deepEqual(picked, unlabelledOf(facts).map((path) => `${kind}/${path}`), 'the pool is the unannotated images only');

      const out = join(workDir, `${kind}-picked`);
      const exported = await curator('export-selection', folder, '--root', root, '--as', kind, '--out', out, '--json', '--quiet');
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(JSON.parse(exported.stdout).files, unlabelledOf(facts));

      // A hand-made selection of every image, in reverse order, one listed twice and one missing.
      const everything = Object.keys(facts).reverse();
      const selectionFile = join(workDir, `${kind}-all.json`);
      writeFileSync(selectionFile, JSON.stringify({ items: [...everything, everything[0], 'train/missing.png'].map((path) => ({ path })) }));
      const full = join(workDir, `${kind}-all`);
      const run = await curator('export-selection', folder, '--root', root, '--as', kind, '--out', full, '--selection', selectionFile, '--json', '--quiet');
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.deepEqual([result.exported, result.requested, result.files], [everything.length, everything.length + 2, everything]);
      assert.deepEqual(result.problems.map((problem: { kind: string }) => problem.kind).sort(), ['exists', 'missing']);

      const again = await scanDataset(full);
      assert.deepEqual(again.problems, []);
      assert.equal(again.manifest?.kind, kind);
      const expected = expectedLabels(facts);
      // A COCO file lists every image it holds: an image that had no annotations is now one annotated with no objects.
      if (kind === 'coco') for (const path of unlabelledOf(facts)) expected[path] = [NO_OBJECTS_LABEL, []];
      assert.deepEqual(scannedLabels(again), expected);

      if (kind === 'coco') {
        const instances = JSON.parse(readFileSync(join(full, 'annotations', 'instances_selection.json'), 'utf8'));
        assert.deepEqual(instances.images.map((image: { id: number; file_name: string }) => [image.id, image.file_name]), everything.map((path, index) => [index + 1, path]));
        assert.deepEqual(instances.categories.map((category: { name: string }) => category.name), [...annotatedFacts.names]);
        assert.deepEqual(instances.info, { description: 'test photographs' });
        // The unannotated JPEG gets its size from its header, as COCO requires.
        const rocket = instances.images.find((image: { file_name: string }) => image.file_name === 'train/rocket.jpg');
        assert.deepEqual([rocket.width, rocket.height], [640, 427]);
      } else {
        const yaml = readFileSync(join(full, 'data.yaml'), 'utf8');
        assert.match(yaml, /train: "images\/train"\nval: "images\/val"\nnames:\n  0: "cat"\n  1: "cup"\n  2: "person"\n  3: "rocket"\n/);
      }

      // Nothing is overwritten, and the wrong kind of subset is refused before anything is written.
      const twice = await curator('export-selection', folder, '--root', root, '--as', kind, '--out', full, '--selection', selectionFile);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /already exists; choose a new folder/);
      const other = kind === 'coco' ? 'yolo' : 'coco';
      const wrong = await curator('export-selection', folder, '--root', root, '--as', other, '--out', join(workDir, `${kind}-as-${other}`));
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, new RegExp(`is not a ${other.toUpperCase()} dataset`));
      assert.equal(existsSync(join(workDir, `${kind}-as-${other}`)), false);
      assert.deepEqual(readdirSync(workDir).filter((name) => name.includes('.partial-')), [], 'no staging folder is left behind');
    });
  }

  it('reports bad annotations per item, never failing the scan, and keeps what is good', async () => {
    const bad = join(workDir, 'bad');
    const cocoRoot = await makeCocoRoot(bad, 'coco-bad');
    const instancesPath = join(cocoRoot, 'annotations', 'instances_train.json');
    const instances = JSON.parse(readFileSync(instancesPath, 'utf8'));
    instances.images.push({ id: 9, file_name: '../../outside.png' }, { id: 1, file_name: 'again.png' }, { id: 10, file_name: 'chelsea.png' });
    instances.annotations.push({ id: 99, image_id: 2, category_id: 42 });
    writeFileSync(instancesPath, JSON.stringify(instances));
    writeFileSync(join(cocoRoot, 'annotations', 'instances_broken.json'), '{"images": [');
    const yoloRoot = await makeYoloRoot(bad, 'yolo-bad');
    writeFileSync(join(yoloRoot, 'labels', 'val', 'coffee.txt'), '1 0.5 0.5 0.3 0.3\n9 0.5 0.5 0.1 0.1\nnot a line\n');
    writeFileSync(join(yoloRoot, 'labels', 'val', 'stray.txt'), '0 0.5 0.5 0.1 0.1\n');

    const run = await curator('scan', bad, '--json');
    assert.equal(run.code, 0, run.stderr);
    const { roots } = JSON.parse(run.stdout);
    const reported = (root: { problems: Array<{ relPath: string; kind: string; line?: number }> }) => root.problems.map((p) => [p.relPath, p.kind, p.line ?? null]);
    assert.deepEqual(reported(roots[0]), [
      ['annotations/instances_broken.json', 'annotations-unreadable', null],
      ['annotations/instances_train.json', 'annotation-path-outside-root', null],
      ['annotations/instances_train.json', 'annotation-unknown-class', null],
      ['annotations/instances_train.json', 'annotation-duplicate-image', null],
      ['annotations/instances_train.json', 'annotation-duplicate-image', null],
    ]);
    assert.deepEqual(reported(roots[1]), [
      ['labels/val/coffee.txt', 'annotation-unknown-class', 2],
      ['labels/val/coffee.txt', 'annotation-malformed', 3],
      ['labels/val/stray.txt', 'annotation-unknown-file', null],
    ]);
    // The good entries still label their images.
    assert.deepEqual(scannedLabels(await scanDataset(cocoRoot)), expectedLabels(annotatedFacts.coco));
    assert.deepEqual(scannedLabels(await scanDataset(yoloRoot)), expectedLabels(annotatedFacts.yolo));
  });

  it('refuses to write labels into annotation roots, saying where labels are edited', async () => {
    for (const [kind, path] of [['coco', 'train/rocket.jpg'], ['yolo', 'images/val/rocket.jpg']] as const) {
      const changes = join(workDir, `${kind}-changes.csv`);
      writeFileSync(changes, `path,label\n${path},rocket\n`);
      const run = await curator('label', folder, '--root', join(folder, kind), '--from', changes);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, new RegExp(`is a ${kind.toUpperCase()} dataset: its labels are the annotations in .*Edit them in your annotation tool`));
    }
    assert.deepEqual(scannedLabels(await scanDataset(join(folder, 'yolo'))), expectedLabels(annotatedFacts.yolo), 'nothing changed');
  });
});
