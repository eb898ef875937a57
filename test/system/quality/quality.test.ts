// The image-quality checks end to end on real photos with the real bundled model: crops of photos
// with a dark, a blurred, a grey and a tiny image made from other crops. `curator quality` first
// asks for `curator embed`; after it, finds exactly those images with those kinds; the statistics
// are cached (a second embed computes none), and a cache embedded without them gets only them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { findImageProblems } from '../../../src/core/jobs/findImageProblems';
import { EMBEDDING_KIND } from '../../../src/core/pool/rootPool';
import { STATS_KIND } from '../../../src/core/quality/imageStats';
import { writePhotoCrops, writeProblemImages } from '../../fixtures/problemImages';
import { bundledModelDir, tempDir } from '../../support/paths';
import { runCli } from '../../support/runCli';

const NORMAL = 16;
const MADE = ['dark', 'blurry', 'grayscale', 'odd-size'] as const;

describe('image-quality checks', function () {
  this.timeout(300_000);
  let dir: string;
  let root: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    ({ dir, cleanup } = await tempDir('quality'));
    root = join(dir, 'photos');
    await writePhotoCrops(join(root, 'unlabeled'), NORMAL);
    const sources = await writePhotoCrops(join(dir, 'sources'), MADE.length, NORMAL);
    // One source per kind, so no two problems share a picture.
    for (const [i, kind] of MADE.entries()) await writeProblemImages(join(root, 'unlabeled', 'made', kind), [sources[i]], [kind]);
  });
  after(() => cleanup());

  it('curator quality says to run curator embed first, and after it finds exactly the made problems', async () => {
    const before = await runCli(dir, 'quality', root, '--json', '--quiet');
    assert.equal(before.code, 1, before.stderr);
    assert.match(before.stderr, /No image of .* has image statistics .*run `curator embed`/);

    const embed = await runCli(dir, 'embed', root, '--json', '--quiet', '--provider', 'cpu');
    assert.equal(embed.code, 0, embed.stderr);
    const [embedded] = JSON.parse(embed.stdout).roots;
    assert.equal(embedded.embedded, NORMAL + MADE.length);
    assert.equal(embedded.statsComputed, NORMAL + MADE.length, 'statistics computed in the same pass');

    const run = await runCli(dir, 'quality', root, '--json', '--quiet');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { images: number; counts: Record<string, number>; findings: Array<{ path: string; kind: string; score: number }> };
    assert.equal(result.images, NORMAL + MADE.length);
    const found = result.findings.map((f) => `${f.path} ${f.kind}`).sort();
    assert.deepEqual(found, MADE.map((kind) => `unlabeled/made/${kind}/${kind}-0.jpg ${kind}`).sort());
    for (const finding of result.findings) assert.ok(finding.score > 0 && finding.score <= 1, `${finding.path}: score ${finding.score}`);
    assert.deepEqual(Object.keys(result.counts).sort(), ['blurry', 'bright', 'dark', 'grayscale', 'low-information', 'odd-aspect-ratio', 'odd-size']);

    // The result file the review panel reads, and the report beside it.
    const file = JSON.parse(await readFile(join(root, '.curator', 'suggestions', 'image-problems.json'), 'utf8'));
    assert.equal(file.formatVersion, 1);
    assert.equal(file.findings.length, MADE.length);
    assert.match(await readFile(join(root, '.curator', 'suggestions', 'image-problems.md'), 'utf8'), /# 4 image problems in 20 images/);

    // Human-readable output: each kind with its images.
    const text = await runCli(dir, 'quality', root, '--quiet');
    assert.equal(text.code, 0, text.stderr);
    for (const kind of MADE) assert.match(text.stdout, new RegExp(`^${kind} \\(1\\):`, 'm'));

    // Cached: a second embed run decodes nothing new.
    const again = await runCli(dir, 'embed', root, '--json', '--quiet', '--provider', 'cpu');
    assert.equal(again.code, 0, again.stderr);
    const [second] = JSON.parse(again.stdout).roots;
    assert.equal(second.embedded, 0);
    assert.equal(second.statsComputed, 0);
  });

  it('a cache embedded without statistics gets only them on the next run, without a forward pass', async () => {
    const encoders = new EncoderCache();
    try {
      const params = {
        root,
        unlabeledFolderName: 'unlabeled',
        cacheDir: join(dir, 'cache-without-stats'),
        model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') },
        executionProvider: 'cpu' as const,
        batchSize: 8,
      };
      const first = await embedDataset({ ...params, imageStats: false }, { encoders });
      assert.equal(first.embedded, NORMAL + MADE.length);
      assert.equal(first.statsComputed, 0);
      await assert.rejects(findImageProblems(params), /run `curator embed`/);

      const store = await EmbeddingStore.open(params.cacheDir, first.modelId);
      const sizeBefore = store.size;
      const someHash = [...store.keys()].find((key) => key.kind === EMBEDDING_KIND)!.hash;
      const embeddingBefore = await store.get(someHash, EMBEDDING_KIND);
      await store.close();

      const second = await embedDataset(params, { encoders });
      assert.equal(second.embedded, 0, 'no image embedded again');
      assert.equal(second.statsComputed, NORMAL + MADE.length);
      const after = await EmbeddingStore.open(params.cacheDir, first.modelId);
      try {
        assert.equal(after.size, sizeBefore + NORMAL + MADE.length, 'one statistics record per image, nothing else');
        assert.ok(after.has(someHash, STATS_KIND));
        assert.deepEqual((await after.get(someHash, EMBEDDING_KIND))!.data, embeddingBefore!.data, 'the embedding record was not rewritten');
      } finally {
        await after.close();
      }
      const result = await findImageProblems(params);
      assert.deepEqual(result.findings.map((f) => basename(f.path)).sort(), MADE.map((kind) => `${kind}-0.jpg`).sort());
    } finally {
      await encoders.dispose();
    }
  });
});
