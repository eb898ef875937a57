// The engine side of the review panel on a small real dataset: views, paging, thumbnails made
// once per content hash, skip marks that survive a move, and the latest selection's ranks.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { writeResultFile } from '../../../src/core/results/suggestionFiles';
import { ReviewService } from '../../../src/core/review/reviewService';
import { GRID_THUMB_SIZE, thumbnailPath } from '../../../src/core/review/thumbnails';
import { bundledModelDir, tempDir } from '../../support/paths';

async function writeSquare(path: string, shade: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } }).png().toFile(path);
}

describe('ReviewService', function () {
  let root: string;
  let cleanup: () => Promise<void>;
  const cacheDir = (): string => join(root, '.curator');
  const params = () => ({ root, cacheDir: cacheDir(), unlabeledFolderName: 'unlabeled', model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(root, '.models') } });

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('review'));
    await writeSquare(join(root, 'cat', 'c1.png'), 10);
    await writeSquare(join(root, 'cat', 'c2.png'), 20);
    await writeSquare(join(root, 'dog', 'd1.png'), 30);
    for (let i = 0; i < 7; i++) await writeSquare(join(root, 'unlabeled', `u${i}.png`), 100 + i * 10);
    await writeFile(join(root, 'unlabeled', 'broken.png'), 'not a png');
  });
  afterEach(() => cleanup());

  it('lists the views with their counts and classes', async () => {
    const overview = await new ReviewService().open(params());
    assert.deepEqual(overview.counts, { images: 10, labelled: 3, unlabelled: 7, skipped: 0, problems: 1, embedded: 0 });
    assert.deepEqual(overview.classes, [{ name: 'cat', count: 2 }, { name: 'dog', count: 1 }]);
    assert.equal(overview.annotations, undefined);
    assert.deepEqual(
      overview.views.map((v) => [v.id, v.count]),
      [['selection', 0], ['suggestions', 0], ['new-classes', 0], ['issues', 0], ['clusters', 0], ['duplicates', 0], ['image-problems', 0], ['unlabelled', 7], ['labelled', 3], ['problems', 1]],
    );
  });

  it('carries every class of a COCO image into the overview, the pages and the export items', async () => {
    await mkdir(join(root, 'annotations'));
    await rename(join(root, 'cat'), join(root, 'train'));
    const instances = {
      images: [{ id: 1, file_name: 'c1.png' }, { id: 2, file_name: 'c2.png' }],
      annotations: [{ image_id: 1, category_id: 2 }, { image_id: 1, category_id: 1 }, { image_id: 1, category_id: 2 }, { image_id: 2, category_id: 1 }],
      categories: [{ id: 1, name: 'cat' }, { id: 2, name: 'person' }],
    };
    await writeFile(join(root, 'annotations', 'instances_train.json'), JSON.stringify(instances));
    const service = new ReviewService();
    const overview = await service.open(params());
    // Folders are not classes in a COCO root: dog/ and unlabeled/ are unlabelled, and c1 counts for both its classes.
    assert.deepEqual(overview.classes, [{ name: 'cat', count: 2 }, { name: 'person', count: 1 }]);
    assert.deepEqual([overview.counts.labelled, overview.counts.unlabelled], [2, 8]);
    assert.equal(overview.annotations, 'coco', 'the panel says why labels are not written here');
    // The labelled view lists by label, so c2 (cat) comes before c1 (person).
    const page = await service.page({ root, view: 'labelled', offset: 0, count: 10 });
    assert.deepEqual(page.items.map((item) => [item.relPath, item.label, item.classes]), [['train/c2.png', 'cat', ['cat']], ['train/c1.png', 'person', ['person', 'cat']]]);
    const exported = service.exportItems({ root, view: 'labelled' });
    assert.deepEqual(exported.items.map((item) => [item.relPath, item.classes]), [['train/c2.png', ['cat']], ['train/c1.png', ['person', 'cat']]]);
  });

  it('pages a view, clamping the range, and makes thumbnails keyed by content hash', async () => {
    const service = new ReviewService();
    await service.open(params());
    const page = await service.page({ root, view: 'unlabelled', offset: 5, count: 10 });
    assert.equal(page.total, 7);
    assert.equal(page.offset, 5);
    assert.deepEqual(page.items.map((i) => i.relPath), ['unlabeled/u5.png', 'unlabeled/u6.png']);
    const item = page.items[0];
    const expectedHash = createHash('sha256').update(await readFile(join(root, item.relPath))).digest('hex');
    assert.equal(item.hash, expectedHash);
    assert.equal(item.thumbPath, thumbnailPath(join(cacheDir(), 'thumbs'), expectedHash));
    const meta = await sharp(item.thumbPath!).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(Math.max(meta.width!, meta.height!), GRID_THUMB_SIZE);

    // Made once: a second page of the same content does not rewrite it.
    const made = statSync(item.thumbPath!).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await service.page({ root, view: 'unlabelled', offset: 5, count: 1 });
    assert.equal(statSync(item.thumbPath!).mtimeMs, made);

    const empty = await service.page({ root, view: 'unlabelled', offset: 100, count: 10 });
    assert.deepEqual([empty.total, empty.offset, empty.items.length], [7, 7, 0]);
    await assert.rejects(service.page({ root, view: 'nope', offset: 0, count: 1 }), /no review view/);
  });

  it('shows problem files without thumbnails', async () => {
    const service = new ReviewService();
    await service.open(params());
    const page = await service.page({ root, view: 'problems', offset: 0, count: 10 });
    assert.equal(page.items[0].relPath, 'unlabeled/broken.png');
    assert.equal(page.items[0].thumbPath, null);
    assert.ok(page.items[0].problem);
  });

  it('keeps skip marks and selection ranks when a file moves into a class folder', async () => {
    await mkdir(join(cacheDir(), 'selections'), { recursive: true });
    const selection = {
      method: 'kcenter',
      items: [
        { path: 'unlabeled/u3.png', rank: 1, score: 0.9, distance: 0.9 },
        { path: 'unlabeled/u1.png', rank: 2, score: 0.5, distance: 0.5 },
        { path: 42 },
      ],
    };
    await writeFile(join(cacheDir(), 'selections', 'kcenter-20250101T000000.json'), JSON.stringify(selection));
    const service = new ReviewService();
    let overview = await service.open(params());
    assert.deepEqual(overview.selection, { method: 'kcenter', file: 'kcenter-20250101T000000.json', items: 2 });
    overview = await service.mark({ root, relPaths: ['unlabeled/u3.png'], skipped: true });
    assert.equal(overview.counts.skipped, 1);

    await rename(join(root, 'unlabeled', 'u3.png'), join(root, 'dog', 'u3.png'));
    const reopened = new ReviewService();
    overview = await reopened.open(params());
    assert.equal(overview.counts.skipped, 1, 'the mark follows the content');
    const page = await reopened.page({ root, view: 'selection', offset: 0, count: 10 });
    assert.deepEqual(
      page.items.map((i) => [i.relPath, i.rank, i.label, i.skipped, i.reasons?.distance]),
      [
        ['dog/u3.png', 1, 'dog', true, 0.9],
        ['unlabeled/u1.png', 2, null, false, 0.5],
      ],
    );
    assert.ok(existsSync(join(cacheDir(), 'review.json')));
  });

  it('reads the latest suggestion results: chips on pages, a cluster\'s members, a view\'s export items', async () => {
    await writeResultFile(join(cacheDir(), 'suggestions', 'pll.json'), {
      root,
      resultFile: '',
      method: 'pll',
      items: [
        { path: 'unlabeled/u1.png', label: null, suggestions: [{ label: 'dog', p: 0.7 }, { label: 'cat', p: 0.3 }], issue: false },
        { path: 'unlabeled/u2.png', label: null, suggestions: [{ label: 'cat', p: 0.9 }, { label: 'dog', p: 0.1 }], issue: false },
        { path: 'unlabeled/u3.png', label: null, suggestions: [{ label: 'cat', p: 0.6 }, { label: 'dog', p: 0.4 }], issue: false },
      ],
    });
    await writeResultFile(join(cacheDir(), 'suggestions', 'clusters.json'), {
      root,
      resultFile: '',
      round: 1,
      clusters: [{ id: 5, size: 3, consistency: 0.8, cohesion: 0.5, stability: null, members: ['u1', 'u2', 'u3'].map((n, i) => ({ path: `unlabeled/${n}.png`, membership: 0.9 - i / 10 })) }],
    });
    const service = new ReviewService();
    const overview = await service.open(params());
    assert.deepEqual(overview.views.filter((v) => v.count > 0).map((v) => [v.id, v.count]), [['suggestions', 3], ['clusters', 3], ['unlabelled', 7], ['labelled', 3], ['problems', 1]]);
    const page = await service.page({ root, view: 'suggestions', offset: 0, count: 10 });
    assert.deepEqual(page.items.map((i) => [i.relPath, i.rank, i.suggestions?.[0].label]), [
      ['unlabeled/u2.png', 1, 'cat'],
      ['unlabeled/u1.png', 2, 'dog'],
      ['unlabeled/u3.png', 3, 'cat'],
    ]);
    // Every view shows an unlabelled image's chips, so the number keys work there too.
    const plain = await service.page({ root, view: 'unlabelled', offset: 1, count: 1 });
    assert.deepEqual(plain.items[0].suggestions, [{ label: 'dog', p: 0.7 }, { label: 'cat', p: 0.3 }]);

    const cluster = service.group({ root, view: 'clusters', groupId: '5' });
    assert.deepEqual(cluster.group, { id: '5', title: 'Cluster 5', size: 3 });
    assert.deepEqual(cluster.relPaths, ['unlabeled/u1.png', 'unlabeled/u2.png', 'unlabeled/u3.png']);
    assert.deepEqual(cluster.suggested, { label: 'cat', members: 2 });
    assert.throws(() => service.group({ root, view: 'clusters', groupId: '6' }), /no group "6"/);
    // Details give the reasons of the view the image is shown in.
    const inCluster = await service.details({ root, relPath: 'unlabeled/u2.png', view: 'clusters', neighbours: 0 });
    assert.deepEqual([inCluster.item.group?.title, inCluster.item.reasons?.cluster, inCluster.item.rank], ['Cluster 5', 5, undefined]);
    const inSuggestions = await service.details({ root, relPath: 'unlabeled/u2.png', view: 'suggestions', neighbours: 0 });
    assert.deepEqual([inSuggestions.item.group, inSuggestions.item.rank, inSuggestions.item.reasons?.method], [undefined, 1, 'pll']);

    const exported = service.exportItems({ root, view: 'suggestions', relPaths: ['unlabeled/u3.png', 'unlabeled/u1.png'] });
    assert.deepEqual(exported.items.map((i) => [i.relPath, i.rank, i.score, i.label, i.method, i.suggestions]), [
      ['unlabeled/u1.png', 2, 0.7, null, 'pll', 'dog:0.7 cat:0.3'],
      ['unlabeled/u3.png', 3, 0.6, null, 'pll', 'cat:0.6 dog:0.4'],
    ]);
    assert.equal(service.exportItems({ root, view: 'problems' }).items.length, 0, 'unusable files are not exported');

    // Once labelled (moved into a class folder), an image leaves the suggestion and cluster views.
    await rename(join(root, 'unlabeled', 'u2.png'), join(root, 'cat', 'u2.png'));
    const after = await service.open(params());
    assert.deepEqual(after.views.filter((v) => ['suggestions', 'clusters'].includes(v.id)).map((v) => v.count), [2, 2]);
  });

  it('finds nearest labelled neighbours and a cached, deterministic map from cached embeddings', async () => {
    const service = new ReviewService();
    await service.open(params());
    // Embeddings in two clusters: cats near (1, 0, 0), dogs and the unlabelled u0-u2 near (0, 1, 0).
    const all = await service.page({ root, view: 'labelled', offset: 0, count: 10 });
    const unlabelled = await service.page({ root, view: 'unlabelled', offset: 0, count: 10 });
    const vectorOf = (relPath: string): number[] => (relPath.startsWith('cat/') ? [1, 0.1, 0] : relPath.startsWith('dog/') || /u[0-2]\.png$/.test(relPath) ? [0, 1, 0.1] : [0.5, 0.5, 1]);
    const modelId = JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')).id as string;
    const store = await EmbeddingStore.open(cacheDir(), modelId);
    await store.append([...all.items, ...unlabelled.items].map((item) => ({ hash: item.hash!, kind: 'embedding', shape: [3], data: Float32Array.from(vectorOf(item.relPath)) })));
    await store.close();

    const overview = await service.open(params());
    assert.equal(overview.counts.embedded, 10);
    const details = await service.details({ root, relPath: 'unlabeled/u1.png', neighbours: 2 });
    assert.deepEqual(details.neighbours.map((n) => n.label), ['dog', 'cat']);
    assert.ok(details.neighbours[0].similarity > details.neighbours[1].similarity);
    assert.ok(details.previewPath && existsSync(details.previewPath));

    const first = await service.projection({ root });
    assert.equal(first.fromCache, false);
    assert.equal(first.relPaths.length, 10);
    assert.equal(first.kinds.filter((kind) => kind === 'labelled').length, 3);
    const again = await new ReviewService().open(params()).then(() => service.projection({ root }));
    assert.equal(again.fromCache, true);
    assert.deepEqual([again.xs, again.ys], [first.xs, first.ys]);
  });

  it('with a scratch folder (untrusted workspace) creates no cache in a root that has none', async () => {
    const { dir: scratch, cleanup: removeScratch } = await tempDir('review-scratch');
    try {
      const service = new ReviewService();
      await service.open({ ...params(), scratchDir: scratch });
      await service.page({ root, view: 'unlabelled', offset: 0, count: 10 });
      await service.details({ root, relPath: 'unlabeled/u1.png', neighbours: 2 });
      assert.equal(existsSync(cacheDir()), false, `${cacheDir()} was not created`);
      assert.ok(existsSync(join(scratch, 'files.json')) && existsSync(join(scratch, 'thumbs')), 'the hash index and thumbnails went to the scratch folder');
    } finally {
      await removeScratch();
    }
  });

  it('with a scratch folder (untrusted workspace) only reads the root\'s cache and writes nothing into the root', async () => {
    // A cache a trusted run left: a selection, a skip mark and embeddings.
    const trusted = new ReviewService();
    await mkdir(join(cacheDir(), 'selections'), { recursive: true });
    const selection = { method: 'random', items: [{ path: 'unlabeled/u2.png', rank: 1, score: 1 }] };
    await writeFile(join(cacheDir(), 'selections', 'random-20250101T000000.json'), JSON.stringify(selection));
    await trusted.open(params());
    await trusted.mark({ root, relPaths: ['unlabeled/u4.png'], skipped: true });
    const page = await trusted.page({ root, view: 'unlabelled', offset: 0, count: 10 });
    const modelId = JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')).id as string;
    const store = await EmbeddingStore.open(cacheDir(), modelId);
    await store.append(page.items.map((item) => ({ hash: item.hash!, kind: 'embedding', shape: [2], data: Float32Array.of(1, 0) })));
    await store.close();
    const before = await listTree(root);

    const { dir: scratch, cleanup: removeScratch } = await tempDir('review-scratch');
    try {
      const service = new ReviewService();
      const overview = await service.open({ ...params(), scratchDir: scratch });
      assert.equal(overview.counts.skipped, 1, 'the skip mark is read');
      assert.deepEqual(overview.selection, { method: 'random', file: 'random-20250101T000000.json', items: 1 });
      assert.equal(overview.counts.embedded, null, 'the embedding cache is not opened');
      const browsed = await service.page({ root, view: 'unlabelled', offset: 0, count: 10 });
      assert.ok(browsed.items[0].thumbPath?.startsWith(join(scratch, 'thumbs')), `thumbnail in the scratch folder: ${browsed.items[0].thumbPath}`);
      const details = await service.details({ root, relPath: 'unlabeled/u1.png', neighbours: 2 });
      assert.match(details.neighbourNote ?? '', /not shown: the embedding cache is left closed while the workspace is not trusted/);
      await assert.rejects(service.projection({ root }), /embedding map cannot be shown/);
      await assert.rejects(service.mark({ root, relPaths: ['unlabeled/u1.png'], skipped: true }), /not changed while the workspace is not trusted/);
      assert.deepEqual(await listTree(root), before, 'nothing under the root was created, changed or removed');
    } finally {
      await removeScratch();
    }
  });
});

/** Every file under dir with its size and modification time. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const info = statSync(path);
      return `${path} ${info.size} ${info.mtimeMs}`;
    })
    .sort();
}
