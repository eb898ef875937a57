// Embedding throughput: end-to-end (files on disk -> cached embeddings, through the pipeline the
// extension and CLI use) against the model-only forward rate on ready tensors at the same batch
// size. The machine this runs on is shared, so the three measurements take turns in rounds and
// the figures are medians over rounds; each round's ratio compares runs made seconds apart.
//
// Model-only is measured twice: with the `embedding` output alone, and with the embedding plus
// the feature map, which is what the pipeline fetches (FreeSel's patterns come from it).
//
//   npm run bench:embed [-- --images 256 --batch 16 --rounds 3 --provider auto]
//   npm run bench:embed -- --sweep     # also compare thread settings and batch sizes first
//   npm run bench:embed -- --spinning on --intra-op 0 --vips-threads 1   # the pipeline's setting
// Prints tables and writes bench/results/embed.json and bench/results/embed.md.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { EncoderCache } from '../src/core/embed/encoderCache';
import { PIPELINE_SESSION_THREADS, type SessionThreads } from '../src/core/embed/executionProvider';

const ONNXRUNTIME_DEFAULT_THREADS: SessionThreads = { intraOp: 0, spinning: true };
import { decodeForModel } from '../src/core/embed/imageDecoder';
import type { ExecutionProviderSetting } from '../src/core/embed/types';
import { embedDataset } from '../src/core/jobs/embedDataset';
import { beforeSection, benchFlag, machineDescription, round, TYPICAL_IMAGE_MIX, writeBenchResults, writeTypicalImages } from './lib/benchSupport';

const repo = join(__dirname, '..', '..');

interface Setting {
  threads: SessionThreads;
  batchSize: number;
  /** libvips threads per image (sharp.concurrency). */
  vipsThreads: number;
}

interface RoundFigures {
  modelOnly: number;
  modelOnlyWithFeatureMap: number;
  pipeline: number;
  /** CPU seconds (all threads of this process) per image, in each measurement. */
  cpuModelOnly: number;
  cpuPipeline: number;
}

const loadAverages = (): string => loadavg().map((value) => value.toFixed(2)).join(' / ');

async function main(): Promise<void> {
  const imageCount = Number(benchFlag('images', '256'));
  const batchSize = Number(benchFlag('batch', '16'));
  const rounds = Number(benchFlag('rounds', '3'));
  const provider = benchFlag('provider', 'auto') as ExecutionProviderSetting;
  const sweep = process.argv.includes('--sweep');
  // A shared machine's load changes every speed figure: the file says what it was.
  const loadBefore = loadAverages();
  // sharp's own default on glibc Linux is one libvips thread per image; measure() changes it.
  const sharpDefaultThreads = sharp.concurrency();
  const work = join(repo, '.scratch', 'bench-embed');
  await rm(work, { recursive: true, force: true });
  const root = join(work, 'dataset');
  const files = await writeTypicalImages(join(root, 'unlabeled'), imageCount);
  const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };

  const measure = async (setting: Setting, roundCount: number, imageLimit = files.length) => {
    sharp.concurrency(setting.vipsThreads);
    const encoders = new EncoderCache(setting.threads);
    await encoders.get(model, provider);
    // Model-only runs with onnxruntime's own threading (spinning threads), its fastest setting when
    // the model has the CPU to itself, whatever the pipeline's setting: the pipeline is compared
    // with the best the model alone does.
    const referenceEncoders = new EncoderCache(ONNXRUNTIME_DEFAULT_THREADS);
    const reference = await referenceEncoders.get(model, provider);
    const subset = files.slice(0, imageLimit);
    const tensors = await Promise.all(subset.map((file) => decodeForModel(file, reference.descriptor.input).then((d) => d.data)));
    const forward = async (withFeatureMap: boolean) => {
      for (let i = 0; i < tensors.length; i += setting.batchSize) await reference.encode(tensors.slice(i, i + setting.batchSize), withFeatureMap);
    };
    await forward(true); // warm-up: first runs allocate onnxruntime's arenas
    await embedDataset({ root, unlabeledFolderName: 'unlabeled', cacheDir: join(work, 'cache-warm-up'), model, executionProvider: provider, batchSize: setting.batchSize }, { encoders });
    const perRound: RoundFigures[] = [];
    let result;
    for (let r = 0; r < roundCount; r++) {
      const modelOnly = await timed(() => forward(false));
      const withMap = await timed(() => forward(true));
      // A fresh cache each round: everything is scanned, hashed, decoded, embedded and written.
      const cacheDir = join(work, `cache-${r}`);
      await rm(cacheDir, { recursive: true, force: true });
      const params = { root, unlabeledFolderName: 'unlabeled', cacheDir, model, executionProvider: provider, batchSize: setting.batchSize };
      const pipeline = await timed(() => embedDataset(params, { encoders }));
      result = pipeline.value;
      if (result.embedded !== files.length) throw new Error(`Pipeline embedded ${result.embedded} of ${files.length} images.`);
      perRound.push({
        modelOnly: tensors.length / modelOnly.seconds,
        modelOnlyWithFeatureMap: tensors.length / withMap.seconds,
        pipeline: files.length / pipeline.seconds,
        cpuModelOnly: withMap.cpuSeconds / tensors.length,
        cpuPipeline: pipeline.cpuSeconds / files.length,
      });
    }
    // Everything from the cache: the last round's cache again.
    const params = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(work, `cache-${roundCount - 1}`), model, executionProvider: provider, batchSize: setting.batchSize };
    const cached = await timed(() => embedDataset(params, { encoders }));
    await encoders.dispose();
    await referenceEncoders.dispose();
    return { perRound, result: result!, cachedSeconds: cached.seconds, fromCache: cached.value.fromCache };
  };

  const sweepRows: string[] = [];
  if (sweep) {
    const candidates: Setting[] = [];
    for (const intraOp of [0, 1]) for (const spinning of [true, false]) for (const vipsThreads of [1, 2]) {
      candidates.push({ threads: { intraOp, spinning }, batchSize, vipsThreads });
    }
    for (const size of [8, 32]) candidates.push({ threads: PIPELINE_SESSION_THREADS, batchSize: size, vipsThreads: 1 });
    for (const setting of candidates) {
      const { perRound } = await measure(setting, 2, Math.min(files.length, 128));
      const row = `| ${describeSetting(setting)} | ${median(perRound.map((f) => f.modelOnlyWithFeatureMap)).toFixed(1)} | ${median(perRound.map((f) => f.pipeline)).toFixed(1)} | ${median(perRound.map((f) => f.pipeline / f.modelOnlyWithFeatureMap)).toFixed(3)} |`;
      console.log(row);
      sweepRows.push(row);
    }
  }

  const chosen: Setting = {
    threads: {
      intraOp: Number(benchFlag('intra-op', String(PIPELINE_SESSION_THREADS.intraOp))),
      spinning: benchFlag('spinning', PIPELINE_SESSION_THREADS.spinning ? 'on' : 'off') === 'on',
    },
    batchSize,
    vipsThreads: Number(benchFlag('vips-threads', String(sharpDefaultThreads))),
  };
  const { perRound, result, cachedSeconds, fromCache } = await measure(chosen, rounds);
  const pick = (key: keyof RoundFigures) => median(perRound.map((f) => f[key]));
  const figures = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    load: { before: loadBefore, after: loadAverages() },
    command: `npm run bench:embed -- --images ${imageCount} --batch ${batchSize} --rounds ${rounds} --provider ${provider}${sweep ? ' --sweep' : ''}`,
    model: result.modelId,
    provider: result.providerNote,
    images: imageCount,
    imageMix: TYPICAL_IMAGE_MIX,
    setting: describeSetting(chosen),
    rounds,
    modelOnlyImagesPerSecond: round(pick('modelOnly')),
    modelOnlyWithFeatureMapImagesPerSecond: round(pick('modelOnlyWithFeatureMap')),
    pipelineImagesPerSecond: round(pick('pipeline')),
    pipelineToModelOnlyRatio: round(median(perRound.map((f) => f.pipeline / f.modelOnly)), 3),
    pipelineToSameOutputsRatio: round(median(perRound.map((f) => f.pipeline / f.modelOnlyWithFeatureMap)), 3),
    cpuMsPerImageModelOnly: round(pick('cpuModelOnly') * 1000),
    cpuMsPerImagePipeline: round(pick('cpuPipeline') * 1000),
    cachedRerunSeconds: round(cachedSeconds, 3),
    cachedRerunFromCache: fromCache,
    perRound: perRound.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(v, k.startsWith('cpu') ? 4 : 1)]))),
  };
  const rows: Array<[string, string]> = [
    ['model-only forward, `embedding` output (ready tensors)', `${figures.modelOnlyImagesPerSecond} img/s`],
    ['model-only forward, `embedding` + feature map (the pipeline\'s outputs)', `${figures.modelOnlyWithFeatureMapImagesPerSecond} img/s`],
    ['end-to-end pipeline (files -> cache: scan, hash, decode, model, patterns, writes)', `${figures.pipelineImagesPerSecond} img/s`],
    ['**pipeline / model-only, same outputs**', `**${figures.pipelineToSameOutputsRatio}**`],
    ['pipeline / model-only, `embedding` output alone', `${figures.pipelineToModelOnlyRatio}`],
    ['CPU time per image: model-only (feature map) / pipeline', `${figures.cpuMsPerImageModelOnly} / ${figures.cpuMsPerImagePipeline} ms`],
    [`re-run, all ${fromCache} from the cache`, `${figures.cachedRerunSeconds} s`],
  ];
  const table = rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n');
  const sweepTable = sweepRows.length === 0 ? '' : `
Settings compared first (128 images, 2 rounds, medians; model-only with the feature map):

| setting | model-only img/s | pipeline img/s | ratio |
|---|---|---|---|
${sweepRows.join('\n')}
`;
  const outDir = join(repo, 'bench', 'results');
  const before = await beforeSection(outDir, 'embed', [
    ['setting', 'setting'],
    ['modelOnlyImagesPerSecond', 'model-only, `embedding` output, img/s'],
    ['modelOnlyWithFeatureMapImagesPerSecond', 'model-only, with the feature map, img/s'],
    ['pipelineImagesPerSecond', 'end-to-end pipeline, img/s'],
    ['pipelineToSameOutputsRatio', 'pipeline / model-only, same outputs'],
    ['pipelineToModelOnlyRatio', 'pipeline / model-only, `embedding` alone'],
    ['cpuMsPerImageModelOnly', 'CPU ms per image, model-only (feature map)'],
    ['cpuMsPerImagePipeline', 'CPU ms per image, pipeline'],
  ]);
  const markdown = `# Embedding benchmark

Measured ${figures.date} on ${figures.machine}; no GPU on this machine; load average (1 / 5 / 15 min) ${figures.load.before} before, ${figures.load.after} after.
Command: \`${figures.command}\`. Model \`${figures.model}\` on ${figures.provider};
${imageCount} images (${figures.imageMix}). Pipeline: ${figures.setting}; model-only: onnxruntime's
default threading (spinning threads), its fastest. Medians of ${rounds} interleaved rounds.

| figure | value |
|---|---|
${table}
${before}${sweepTable}`;
  console.log(markdown);
  await writeBenchResults(outDir, 'embed', { ...figures, sweep: sweepRows }, markdown);
  console.log(`Wrote ${join('bench', 'results', 'embed.json')} and embed.md`);
}

function describeSetting(setting: Setting): string {
  const intra = setting.threads.intraOp === 0 ? 'onnxruntime default' : String(setting.threads.intraOp);
  return `batch ${setting.batchSize}, intra-op threads ${intra}, spinning ${setting.threads.spinning ? 'on' : 'off'}, libvips threads per image ${setting.vipsThreads}`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
