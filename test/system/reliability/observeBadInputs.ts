// Runs the scan and the embedding job over the bad-input fixture the way a user's machine would
// (as an unprivileged user, so file permissions apply even when the tests run as root) and
// records, for every input, what happened and the message the user got. The reliability test
// asserts on these observations; scripts/reliability-report.ts prints them as the docs' table.
import { unlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { EmbeddingStore } from '../../../src/core/cache/embeddingStore';
import { scanDataset } from '../../../src/core/dataset/scan';
import type { DatasetScan } from '../../../src/core/dataset/types';
import type { EncoderCache } from '../../../src/core/embed/encoderCache';
import type { EmbedDatasetParams, EmbedDatasetResult } from '../../../src/core/embed/types';
import { hashImages } from '../../../src/core/pool/contentHashes';
import { EMBEDDING_KIND, embedDataset } from '../../../src/core/jobs/embedDataset';
import { planFolderMoves } from '../../../src/core/labels';
import { ThumbnailMaker } from '../../../src/core/review/thumbnails';
import type { BadInputCase, BadInputFixture, ExpectedOutcome } from '../../fixtures/badInputs';

export interface Observation {
  testCase: BadInputCase;
  /** What happened; 'vanished' means the input was dropped without any message. */
  outcome: ExpectedOutcome | 'vanished';
  /** The message the user got about it, or '' when none. */
  message: string;
}

export interface BadInputRun {
  observations: Observation[];
  scan: DatasetScan;
  result: EmbedDatasetResult;
  /** Euclidean distances from the EXIF-rotated photo's embedding to its upright copy and to the untagged stored pixels. */
  rotation: { toUpright: number; toStoredWithoutTag: number };
  /** Size of the EXIF-rotated photo's grid thumbnail. */
  exifThumbnail: { width: number; height: number };
  /** Whether the file-permission case could be tested (POSIX permissions enforced for the run's user). */
  permissionsEnforced: boolean;
}

export interface ObserveOptions {
  encoders: EncoderCache;
  cacheDir: string;
  model: EmbedDatasetParams['model'];
  batchSize?: number;
}

export async function observeBadInputs(fixture: BadInputFixture, options: ObserveOptions): Promise<BadInputRun> {
  const params: EmbedDatasetParams = {
    root: fixture.root,
    unlabeledFolderName: 'unlabeled',
    cacheDir: options.cacheDir,
    model: options.model,
    executionProvider: 'cpu',
    batchSize: options.batchSize ?? 8,
  };
  // The unprivileged user must be able to reach the root and write the cache.
  await chmod(dirname(fixture.root), 0o755);
  await mkdir(options.cacheDir, { recursive: true });
  await chmod(options.cacheDir, 0o777);
  await chmod(fixture.unreadable, 0o000);
  // Open the model first, as the current user: that is not what is under test.
  await options.encoders.get(params.model, 'cpu');

  let deleted = false;
  const { scan, result, permissionsEnforced } = await asUnprivilegedUser(async () => {
    const scan = await scanDataset(fixture.root, { unlabeledFolderName: params.unlabeledFolderName });
    const result = await embedDataset(params, {
      encoders: options.encoders,
      onProgress: (progress) => {
        // The job has scanned and hashed; decoding starts right after this report.
        if (progress.phase === 'embed' && !deleted) {
          deleted = true;
          // Synchronously: the first batch's decoding starts as soon as this returns.
          unlinkSync(fixture.deleteBeforeEmbed);
        }
      },
    });
    return { scan, result, permissionsEnforced: !(await canOpen(fixture.unreadable)) };
  });
  await chmod(fixture.unreadable, 0o644);

  const stored = await storedPaths(scan, options.cacheDir, result.modelId);
  const observations = fixture.cases.map((testCase) => observe(testCase, scan, result, stored.paths));
  const rotation = {
    toUpright: distance(stored.vectors.get(fixture.rotation.exifRotated), stored.vectors.get(fixture.rotation.upright)),
    toStoredWithoutTag: distance(stored.vectors.get(fixture.rotation.exifRotated), stored.vectors.get(fixture.rotation.storedWithoutTag)),
  };
  return { observations, scan, result, rotation, exifThumbnail: await thumbnailSize(join(fixture.root, fixture.rotation.exifRotated)), permissionsEnforced };
}

function observe(testCase: BadInputCase, scan: DatasetScan, result: EmbedDatasetResult, stored: Set<string>): Observation {
  if (testCase.line !== undefined) {
    const problem = scan.problems.find((p) => p.relPath === testCase.relPath && p.line === testCase.line);
    return { testCase, outcome: problem ? 'row-reported' : 'vanished', message: problem?.message ?? '' };
  }
  const problem = scan.problems.find((p) => p.relPath === testCase.relPath);
  const failure = result.failed.find((f) => f.relPath === testCase.relPath);
  if (stored.has(testCase.relPath)) return { testCase, outcome: problem ? 'embedded-with-warning' : 'embedded', message: problem?.message ?? '' };
  if (failure) return { testCase, outcome: 'decode-failed', message: failure.message };
  if (problem) return { testCase, outcome: problem.kind.includes('symlink') ? 'not-followed' : 'left-out', message: problem.message };
  return { testCase, outcome: 'vanished', message: '' };
}

/** Which scanned images have an embedding in the cache, and the embeddings of those that do. */
async function storedPaths(scan: DatasetScan, cacheDir: string, modelId: string): Promise<{ paths: Set<string>; vectors: Map<string, Float32Array> }> {
  // The file-state index already knows every hash, so this reads no image again.
  const hashes = await hashImages(scan.images, cacheDir);
  const store = await EmbeddingStore.open(cacheDir, modelId);
  const paths = new Set<string>();
  const vectors = new Map<string, Float32Array>();
  try {
    for (const image of scan.images) {
      const hash = hashes.byPath.get(image.relPath);
      const vector = hash === undefined ? undefined : await store.get(hash, EMBEDDING_KIND);
      if (!vector) continue;
      paths.add(image.relPath);
      vectors.set(image.relPath, vector.data);
    }
  } finally {
    await store.close();
  }
  return { paths, vectors };
}

function distance(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

async function thumbnailSize(source: string): Promise<{ width: number; height: number }> {
  const thumbsDir = await mkdtemp(join(tmpdir(), 'curator-thumbs-'));
  try {
    const thumbnail = await new ThumbnailMaker(thumbsDir).ensure(source, 'a'.repeat(64));
    const { width = 0, height = 0 } = await sharp(thumbnail).metadata();
    return { width, height };
  } finally {
    await rm(thumbsDir, { recursive: true, force: true });
  }
}

/** Labels that cannot be class folders, and what planning the move said about each. */
export async function observeFolderLabels(root: string, relPath: string): Promise<Array<{ label: string; message: string }>> {
  const labels = ['cats/dogs', 'CON', 'nul.txt', 'trailing dot.', ' leading space', 'two\nlines', '..', '.hidden', 'a:b', 'x'.repeat(256), 'unlabeled'];
  const observed = [];
  for (const label of labels) {
    const plan = await planFolderMoves(root, [{ relPath, label }], 'unlabeled');
    observed.push({ label, message: plan.refused[0]?.reason ?? '' });
  }
  return observed;
}

async function canOpen(path: string): Promise<boolean> {
  try {
    await (await open(path, 'r')).close();
    return true;
  } catch {
    return false;
  }
}

/** Runs task with the effective user 'nobody' when running as root (root ignores file permissions). */
export async function asUnprivilegedUser<T>(task: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0 || !process.seteuid) return task();
  const NOBODY = 65534;
  process.seteuid(NOBODY);
  try {
    return await task();
  } finally {
    process.seteuid(0);
  }
}
