// The summary's image-problem counts read back from the newest run's result file: every kind
// counted, a broken or newer-layout file counts as absent, and a note when the embedding cache was
// written to after the run.

import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageProblemRunNote } from '../../../src/core/report/summaryText';
import { RESULT_FORMAT_VERSION, writeResultFile } from '../../../src/core/results/suggestionFiles';
import { readImageProblemCounts } from '../../../src/core/review/imageProblemCounts';
import { tempDir } from '../../support/paths';

describe('readImageProblemCounts', () => {
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  const resultFile = (): string => join(cacheDir, 'suggestions', 'image-problems.json');
  const vectors = (): string => join(cacheDir, 'models', 'test-model', 'vectors.bin');
  const writeRun = (counts: Record<string, unknown>) =>
    writeResultFile(resultFile(), { root: '/r', resultFile: '', modelId: 'test-model', images: 40, counts, findings: [], thresholds: [], notes: [], seconds: 0.1 });
  beforeEach(async () => {
    ({ dir: cacheDir, cleanup } = await tempDir('problem-counts'));
  });
  afterEach(() => cleanup());

  it('finds nothing when no run wrote a file', async () => {
    assert.equal(await readImageProblemCounts(cacheDir), null);
  });

  it('reads the counts of every kind, 0 for kinds the file lacks or garbles', async () => {
    await mkdir(join(cacheDir, 'models', 'test-model'), { recursive: true });
    await writeFile(vectors(), 'x');
    await utimes(vectors(), new Date(1_000_000), new Date(1_000_000));
    await writeRun({ dark: 2, blurry: 3, bright: -1, grayscale: 'many' });
    const read = await readImageProblemCounts(cacheDir);
    assert.ok(read);
    assert.equal(read.images, 40);
    assert.equal(read.modelId, 'test-model');
    assert.equal(read.counts.dark, 2);
    assert.equal(read.counts.blurry, 3);
    assert.equal(read.counts.bright, 0);
    assert.equal(read.counts.grayscale, 0);
    assert.equal(read.olderThanEmbeddings, false);
  });

  it('says the counts are older than the embeddings when the cache was written after the run', async () => {
    await writeRun({ dark: 1 });
    await mkdir(join(cacheDir, 'models', 'test-model'), { recursive: true });
    await writeFile(vectors(), 'x');
    const later = new Date(Date.now() + 60_000);
    await utimes(vectors(), later, later);
    assert.equal((await readImageProblemCounts(cacheDir))?.olderThanEmbeddings, true);
  });

  it('treats a torn file, a newer layout or a file without counts as absent', async () => {
    await mkdir(join(cacheDir, 'suggestions'), { recursive: true });
    await writeFile(resultFile(), '{"formatVersion": 1, "createdAt": "2026-');
    assert.equal(await readImageProblemCounts(cacheDir), null);
    await writeFile(resultFile(), JSON.stringify({ formatVersion: RESULT_FORMAT_VERSION + 1, createdAt: new Date().toISOString(), modelId: 'm', images: 3, counts: { dark: 1 } }));
    assert.equal(await readImageProblemCounts(cacheDir), null);
    await writeFile(resultFile(), JSON.stringify({ formatVersion: RESULT_FORMAT_VERSION, createdAt: new Date().toISOString(), modelId: 'm', images: 3 }));
    assert.equal(await readImageProblemCounts(cacheDir), null);
  });
});

describe('imageProblemRunNote', () => {
  it('names the run in UTC and asks for a new run only when the embeddings changed since', () => {
    assert.equal(imageProblemRunNote('2026-12-04T21:05:33.120Z', false), 'From the run of 2026-12-04 21:05 UTC.');
    assert.match(imageProblemRunNote('2026-12-04T21:05:33.120Z', true), /^From the run of 2026-12-04 21:05 UTC\. The embeddings changed since then: run Find image problems again/);
  });
});
