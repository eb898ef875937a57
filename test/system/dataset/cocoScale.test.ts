// A large generated COCO root (20,000 images, 100,000 annotations with polygons, 80 categories,
// a few images missing): the scan reads it without building the polygons, and says exactly what
// a whole-file JSON.parse says, image by image, through the library and the command line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_OBJECTS_LABEL, scanDataset } from '../../../src/core/dataset';
import { detectAnnotationSource, readAnnotations } from '../../../src/core/dataset/annotationSource';
import { cocoScaleImageName, ensureCocoScaleRoot } from '../../support/syntheticCoco';
import { tempDir } from '../../support/paths';
import { runCli } from '../../support/runCli';

const COUNTS = { images: 20_000, annotations: 100_000, categories: 80 };
const PRESENT = 19_900;

interface Instances {
  images: Array<{ id: number; file_name: string }>;
  annotations: Array<{ image_id: number; category_id: number }>;
  categories: Array<{ id: number; name: string }>;
}

/** Each present image's classes, most instances first, ties by name: worked out from JSON.parse's object. */
function expectedClasses(instances: Instances, present: ReadonlySet<string>): Map<string, string[]> {
  const names = new Map(instances.categories.map((category) => [category.id, category.name]));
  const byId = new Map(instances.images.map((image) => [image.id, new Map<string, number>()]));
  for (const annotation of instances.annotations) {
    const counts = byId.get(annotation.image_id)!;
    const name = names.get(annotation.category_id)!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const result = new Map<string, string[]>();
  for (const image of instances.images) {
    const relPath = `train2017/${image.file_name}`;
    if (!present.has(relPath)) continue;
    const ranked = [...byId.get(image.id)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    result.set(relPath, ranked.map(([name]) => name));
  }
  return result;
}

describe('a large COCO root', function () {
  this.timeout(300_000);
  let root = '';
  let cleanup: () => Promise<void>;
  let instances: Instances;

  before(async () => {
    const made = await tempDir('coco-scale');
    cleanup = made.cleanup;
    root = join(made.dir, 'coco');
    await ensureCocoScaleRoot(root, COUNTS, PRESENT);
    instances = JSON.parse(readFileSync(join(root, 'annotations', 'instances_train2017.json'), 'utf8')) as Instances;
  });
  after(() => cleanup());

  it('scans with every class of every image, and reports each missing image, as JSON.parse reads the file', async () => {
    assert.equal(instances.images.length, COUNTS.images);
    assert.equal(instances.annotations.length, COUNTS.annotations);
    const scan = await scanDataset(root);
    const present = new Set(scan.images.map((image) => image.relPath));
    assert.equal(present.size, PRESENT);
    const expected = expectedClasses(instances, present);
    assert.deepEqual(
      Object.fromEntries(scan.images.map((image) => [image.relPath, [image.label, image.labelSource, image.classes]])),
      Object.fromEntries([...expected].map(([relPath, classes]) => [relPath, [classes[0] ?? NO_OBJECTS_LABEL, 'coco', classes]])),
    );
    const missing = instances.images.slice(PRESENT).map((image) => `Image id ${image.id} ("${cocoScaleImageName(image.id)}") is not an image in the root`);
    assert.deepEqual(
      scan.problems.map((problem) => [problem.kind, problem.message.replace(/ \(looked in .*$/, '')]).sort(),
      missing.map((message) => ['annotation-unknown-file', message]).sort(),
    );
  });

  it('reads the same labels and problems as the whole-file parse used for exports', async () => {
    const source = (await detectAnnotationSource(root))!;
    const images = [...expectedClasses(instances, new Set(instances.images.slice(0, PRESENT).map((image) => `train2017/${image.file_name}`))).keys()];
    const forScan = await readAnnotations(root, source, images, new Set(), undefined, 'classes');
    const whole = await readAnnotations(root, source, images, new Set(), undefined, 'entries');
    assert.equal(forScan.objects.size, PRESENT);
    assert.deepEqual(forScan.objects, whole.objects);
    assert.deepEqual(forScan.problems, whole.problems);
    // The whole parse keeps every field for exports; the scan's keeps the ones it reads.
    const first = [...whole.coco.values()][0]!;
    assert.ok(Array.isArray(first.image.annotations[0]!.segmentation));
    assert.deepEqual(Object.keys([...forScan.coco.values()][0]!.image.annotations[0]!).sort(), ['category_id', 'image_id']);
  });

  it('`curator scan --json` counts the images and the classes', async () => {
    const run = await runCli(root, 'scan', root, '--json');
    assert.equal(run.code, 0, run.stderr);
    const { roots } = JSON.parse(run.stdout) as { roots: Array<{ counts: { images: number; labelled: number }; classes: Array<{ name: string; count: number }>; problems: unknown[] }> };
    assert.equal(roots.length, 1);
    assert.deepEqual([roots[0]!.counts.images, roots[0]!.counts.labelled, roots[0]!.problems.length], [PRESENT, PRESENT, COUNTS.images - PRESENT]);
    const perClass = new Map<string, number>();
    for (const classes of expectedClasses(instances, new Set(instances.images.slice(0, PRESENT).map((image) => `train2017/${image.file_name}`))).values()) {
      for (const name of classes) perClass.set(name, (perClass.get(name) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(roots[0]!.classes.map((c) => [c.name, c.count])), Object.fromEntries(perClass));
  });
});
