// How well each encoder the project can run separates real photographs, and how fast it embeds them.
// On the natural-image dev set (../shared/data/cifar10-dev: 5,000 pool + 1,000 test, 10 classes),
// each encoder embeds all 6,000 files through the same pipeline the extension and CLI use (files ->
// decode -> model -> cache, on a fresh cache), then:
//   - k-NN: 1-NN and 20-NN accuracy of the test images against the labelled pool (cosine on
//     features centred on the pool mean);
//   - linear probe: a softmax regression trained on 20/50/100/200 pool images chosen at random
//     (3 seeds), scored on the test images;
//   - speed: images per second end to end (decode + model + cache writes), and the ratio to the
//     reference encoder's rate measured in the same run (the machine may be busy; ratios hold up);
//   - size of the ONNX file.
//   npm run bench:encoders [-- --encoders default,reference,mobilenetv2-nsfwjs,/abs/model.json --seeds 3 --provider cpu]
// `reference` is the ONNX Model Zoo's int8 ImageNet MobileNetV2 from ../shared/models;
// `mobilenetv2-nsfwjs` the whole nsfwjs MobileNetV2, the encoder bundled before the current default.
// Catalogue models already pulled into the CLI's store (`curator models pull <id>`) are measured too.
// Writes bench/results/encoders.json and bench/results/encoders.md.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { homedir, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { EncoderCache } from '../src/core/embed/encoderCache';
import type { ExecutionProviderSetting } from '../src/core/embed/types';
import { embedDataset } from '../src/core/jobs/embedDataset';
import { SeededRandom } from '../src/core/math/seededRandom';
import { centredUnitRows, columnMean, pickRows, type VectorRows } from '../src/core/math/vectorRows';
import { resolveModel } from '../src/core/model/registry';
import { loadEmbeddedPool } from '../src/core/pool/embeddedPool';
import { MODEL_CATALOGUE } from '../src/core/model/catalogue';
import { findPulledModel } from '../src/core/model/catalogueStore';
import type { ModelDescriptor } from '../src/core/model/descriptor';
import { convertNsfwjsMobileNetV2 } from '../tools/keras-to-onnx/nsfwjs-mobilenet-v2';
import { prepareReferenceModel } from '../tools/prepare-reference-model';
import { benchFlag, machineDescription, round, writeBenchResults } from './lib/benchSupport';
import { cifarSplit } from './lib/cifarDev';
import { knnAccuracy } from './lib/knnAccuracy';
import { probeAccuracy } from './lib/labelEfficiency';
import { repo } from './lib/mnistData';

const PROBE_BUDGETS = [20, 50, 100, 200];
const BATCH_SIZE = 16;

interface EncoderUnderTest {
  key: string;
  /** The `curator.model` value that selects it. */
  setting: string;
  bundledDir: string;
  /** Where a catalogue model is found already pulled (the CLI's store); nothing is downloaded here. */
  storageDir?: string;
}

interface EncoderFigures {
  key: string;
  modelId: string;
  name: string;
  dim: number;
  megabytes: number;
  knn1: number;
  knn20: number;
  /** Budget -> mean and std (over seeds) of the probe's test accuracy. */
  probe: Record<number, { mean: number; std: number }>;
  imagesPerSecond: number;
  wallSeconds: number;
}

async function main(): Promise<void> {
  const keys = benchFlag('encoders', 'default,reference,mobilenetv2-nsfwjs').split(',');
  const seeds = Array.from({ length: Number(benchFlag('seeds', '3')) }, (_, i) => i + 1);
  const provider = benchFlag('provider', 'cpu') as ExecutionProviderSetting;
  const work = join(repo, '.scratch', 'bench-encoders');
  const root = await datasetRoot(join(work, 'root'));
  const encoders = [...keys.map((key) => encoderFor(key, work)), ...(await pulledCatalogueModels(keys))];

  const results: EncoderFigures[] = [];
  for (const encoder of encoders) {
    const figures = await measure(encoder, root, join(work, `cache-${encoder.key}`), provider, seeds);
    results.push(figures);
    console.log(
      `${figures.key.padEnd(10)} ${figures.modelId.padEnd(36)} ${String(figures.dim).padStart(5)}-d ` +
        `1-NN ${pct(figures.knn1)} 20-NN ${pct(figures.knn20)} probe ${PROBE_BUDGETS.map((b) => `${b}:${pct(figures.probe[b].mean)}`).join(' ')} ` +
        `${figures.imagesPerSecond.toFixed(1)} img/s ${figures.megabytes.toFixed(1)} MB`,
    );
  }
  await writeResults(results, seeds, provider);
}

/** Catalogue models the CLI has already pulled (`curator models pull <id>`), unless listed already. */
async function pulledCatalogueModels(keys: string[]): Promise<EncoderUnderTest[]> {
  const storageDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dataset-curator', 'models');
  const bundledDir = join(repo, 'dist', 'models', 'default');
  const found: EncoderUnderTest[] = [];
  for (const entry of MODEL_CATALOGUE) {
    if (keys.includes(entry.id) || !(await findPulledModel(entry, storageDir))) continue;
    found.push({ key: entry.id, setting: entry.id, bundledDir, storageDir });
  }
  return found;
}

function encoderFor(key: string, work: string): EncoderUnderTest {
  const bundledDir = join(repo, 'dist', 'models', 'default');
  if (key === 'reference') {
    // The ONNX Model Zoo's int8 ImageNet MobileNetV2 from ../shared/models, edited to expose its embedding.
    const published = join(repo, '..', 'shared', 'models', 'mobilenetv2-12-int8.onnx');
    return { key, setting: prepareReferenceModel(published, join(work, 'reference-model')), bundledDir };
  }
  if (key === 'mobilenetv2-nsfwjs') {
    // The encoder bundled before this one, rebuilt here so "before" and "after" are measured side by side.
    const dir = join(work, 'mobilenetv2-nsfwjs-model');
    mkdirSync(dir, { recursive: true });
    const onnx = convertNsfwjsMobileNetV2().onnx;
    writeFileSync(join(dir, 'model.onnx'), onnx);
    const descriptor: ModelDescriptor = {
      id: `mobilenetv2-nsfwjs-${createHash('sha256').update(onnx).digest('hex').slice(0, 12)}`,
      name: 'MobileNetV2 (nsfwjs weights, whole network)',
      file: 'model.onnx',
      input: { name: 'input', layout: 'NHWC', size: [224, 224], mean: [0, 0, 0], std: [1, 1, 1] },
      outputs: { embedding: 'embedding', featureMap: 'features_7x7', featureMapLayout: 'NHWC' },
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(descriptor));
    return { key, setting: join(dir, 'model.json'), bundledDir };
  }
  // A bundled model's setting (default, ...) or an absolute descriptor path.
  return { key: key.includes('/') ? basename(dirname(key)) : key, setting: key, bundledDir };
}

/** pool/<class>/x.jpg and test/<class>/x.jpg copied to <root>/<class>/<split>-x.jpg: one labelled root. */
async function datasetRoot(root: string): Promise<string> {
  await rm(root, { recursive: true, force: true });
  for (const split of ['pool', 'test'] as const) {
    const files = cifarSplit(split);
    for (let i = 0; i < files.paths.length; i++) {
      const dir = join(root, files.classes[files.labels[i]]);
      await mkdir(dir, { recursive: true });
      await copyFile(files.paths[i], join(dir, `${split}-${basename(files.paths[i])}`));
    }
  }
  return root;
}

async function measure(encoder: EncoderUnderTest, root: string, cacheDir: string, provider: ExecutionProviderSetting, seeds: number[]): Promise<EncoderFigures> {
  await rm(cacheDir, { recursive: true, force: true });
  const model = { setting: encoder.setting, bundledDir: encoder.bundledDir, storageDir: encoder.storageDir ?? join(cacheDir, 'models') };
  const resolved = await resolveModel(model.setting, model);
  const encoders = new EncoderCache();
  // The session is opened before the clock starts: the figure is the steady embedding rate.
  await encoders.get(model, provider);
  const started = performance.now();
  const embedded = await embedDataset({ root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: provider, batchSize: BATCH_SIZE }, { encoders });
  const wallSeconds = (performance.now() - started) / 1000;
  await encoders.dispose();
  if (embedded.failed.length > 0) throw new Error(`${embedded.failed.length} images failed to embed, first: ${embedded.failed[0].relPath}`);

  const pool = await loadEmbeddedPool({ root, unlabeledFolderName: 'unlabeled', cacheDir, model });
  const split = splitRows(pool.features, pool.items.map((item) => item.path), pool.labels);
  const { width } = pool.features;
  const mean = columnMean([split.pool.rows], width);
  const knn = knnAccuracy(centredUnitRows(split.pool.rows, mean).data, split.pool.labels, centredUnitRows(split.test.rows, mean).data, split.test.labels, width, [1, 20]);
  const probe: EncoderFigures['probe'] = {};
  for (const budget of PROBE_BUDGETS) {
    const accuracies = seeds.map((seed) => {
      const picks = new SeededRandom(seed * 7919 + budget).permutation(split.pool.labels.length).slice(0, budget);
      return probeAccuracy(pickRows(split.pool.rows, picks), Int32Array.from(picks, (i) => split.pool.labels[i]), split.test, mean);
    });
    probe[budget] = meanStd(accuracies);
  }
  return {
    key: encoder.key,
    modelId: resolved.descriptor.id,
    name: resolved.descriptor.name,
    dim: width,
    megabytes: (await stat(resolved.onnxPath)).size / 1e6,
    knn1: knn[1],
    knn20: knn[20],
    probe,
    imagesPerSecond: embedded.embedded / wallSeconds,
    wallSeconds,
  };
}

interface LabelledRows {
  rows: VectorRows;
  labels: Int32Array;
}

/** The pooled features split back into the dev set's pool and test images by file-name prefix. */
function splitRows(features: VectorRows, paths: string[], labels: Int32Array): { pool: LabelledRows; test: LabelledRows } {
  const pick = (prefix: string): LabelledRows => {
    const indices = paths.flatMap((path, i) => (basename(path).startsWith(prefix) ? [i] : []));
    return { rows: pickRows(features, indices), labels: Int32Array.from(indices, (i) => labels[i]) };
  };
  return { pool: pick('pool-'), test: pick('test-') };
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

function pct(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

async function writeResults(results: EncoderFigures[], seeds: number[], provider: string): Promise<void> {
  const reference = results.find((result) => result.key === 'reference');
  const machine = machineDescription();
  const date = new Date().toISOString().slice(0, 10);
  const rows = results.map((result) => {
    const vsReference = reference ? ` | ${(result.knn20 / reference.knn20).toFixed(2)} | ${(result.imagesPerSecond / reference.imagesPerSecond).toFixed(2)}` : '';
    return `| \`${result.key}\` (${result.modelId}) | ${result.dim} | ${pct(result.knn1)} | ${pct(result.knn20)} | ` +
      `${PROBE_BUDGETS.map((budget) => `${pct(result.probe[budget].mean)} ± ${(100 * result.probe[budget].std).toFixed(1)}`).join(' | ')} | ` +
      `${result.imagesPerSecond.toFixed(1)} | ${result.megabytes.toFixed(1)}${vsReference} |`;
  });
  const refColumns = reference ? ' 20-NN / reference | speed / reference |' : '';
  const markdown = [
    '# Encoders on real photographs',
    '',
    `\`npm run bench:encoders\` on ${date}; ${machine}; execution provider ${provider}; load average at the end ${loadAverage()}.`,
    '',
    `Dev set: ../shared/data/cifar10-dev (CIFAR-10 photographs, 32x32 JPEG): 5,000 pool + 1,000 test, 10 classes. ` +
      'Every file goes through the embedding pipeline on a fresh cache (batch 16). k-NN: cosine on features centred on the pool mean. ' +
      `Linear probe: softmax regression on n randomly chosen pool images, mean ± std over seeds ${seeds.join(', ')}. ` +
      'img/s: images embedded per second of wall time, files to cache, the model already loaded.',
    '',
    `| encoder | dims | 1-NN | 20-NN | ${PROBE_BUDGETS.map((b) => `probe @${b}`).join(' | ')} | img/s | MB |${refColumns}`,
    `|---|---|---|---|${PROBE_BUDGETS.map(() => '---').join('|')}|---|---|${reference ? '---|---|' : ''}`,
    ...rows,
    '',
  ].join('\n');
  const figures = { date, machine, provider, seeds, probeBudgets: PROBE_BUDGETS, results: results.map((result) => ({ ...result, knn1: round(100 * result.knn1, 2), knn20: round(100 * result.knn20, 2) })) };
  await writeBenchResults(join(repo, 'bench', 'results'), 'encoders', figures, markdown);
  console.log(`\n${markdown}`);
}

function loadAverage(): string {
  return loadavg().map((value: number) => value.toFixed(1)).join(' / ');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
