// Where the embedding pipeline's time goes: every stage timed on its own, one after the other, on
// the same typical images as bench/embed.ts. Each stage runs alone here, so the sum says how much
// CPU work one image costs, not how long the overlapped pipeline takes.
//
//   node dist/bench/embedStages.js [--images 128 --batch 16]
// Prints a table and writes bench/results/embed-stages.json and embed-stages.md.

import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { EmbeddingStore } from '../src/core/cache/embeddingStore';
import { hashFileContent } from '../src/core/util/contentHash';
import { scanDataset } from '../src/core/dataset/scan';
import { EncoderCache } from '../src/core/embed/encoderCache';
import { decodeForModel } from '../src/core/embed/imageDecoder';
import { semanticPatterns } from '../src/core/select/semanticPatterns';
import { benchFlag, machineDescription, round, writeBenchResults, writeTypicalImages } from './lib/benchSupport';

const repo = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const imageCount = Number(benchFlag('images', '128'));
  const batchSize = Number(benchFlag('batch', '16'));
  const work = join(repo, '.scratch', 'bench-embed-stages');
  await rm(work, { recursive: true, force: true });
  const root = join(work, 'dataset');
  const files = await writeTypicalImages(join(root, 'unlabeled'), imageCount);

  const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };
  const encoders = new EncoderCache();
  const encoder = await encoders.get(model, 'cpu');
  const input = encoder.descriptor.input;
  const [height, width] = input.size;

  // CPU time is process-wide (main thread, libuv pool, onnxruntime's threads): on two cores it is
  // what bounds the overlapped pipeline, whatever the overlap.
  const stages: Array<{ stage: string; msPerImage: number; cpuMsPerImage: number }> = [];
  const time = async <T>(stage: string, run: () => Promise<T>, count = imageCount): Promise<T> => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await run();
    const cpu = process.cpuUsage(cpuStart);
    stages.push({ stage, msPerImage: round((performance.now() - start) / count, 2), cpuMsPerImage: round((cpu.user + cpu.system) / 1000 / count, 2) });
    return result;
  };
  const cpuOf = (stage: string): number => stages.find((s) => s.stage === stage)!.cpuMsPerImage;

  await time('scan (walk + sniff)', () => scanDataset(root));
  await time('content hash (sha256, 8 in flight)', () => Promise.all(files.map((file) => hashFileContent(file))));
  // One at a time: the CPU cost of a decode, without the thread pool's overlap.
  await time(`sharp decode + resize to ${width} (one at a time)`, async () => {
    for (const file of files) {
      await sharp(file, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb')
        .resize(width, height, { fit: 'cover', kernel: 'cubic' }).raw().toBuffer();
    }
  });
  // Decode options that could be cheaper: another resize kernel, libvips's sequential read.
  await time('  the same with the linear kernel', async () => {
    for (const file of files) {
      await sharp(file, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb')
        .resize(width, height, { fit: 'cover', kernel: 'linear' }).raw().toBuffer();
    }
  });
  await time('  the same with sequentialRead', async () => {
    for (const file of files) {
      await sharp(file, { failOn: 'error', sequentialRead: true }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb')
        .resize(width, height, { fit: 'cover', kernel: 'cubic' }).raw().toBuffer();
    }
  });
  // The floor under any sharp pipeline: decoding alone, and a call on an image too small to cost anything.
  await time('sharp decode only, no resize (one at a time)', async () => {
    for (const file of files) await sharp(file, { failOn: 'error' }).raw().toBuffer();
  });
  const tiny = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).png().toBuffer();
  await time('  sharp call on a 16x16 PNG (fixed cost per call)', async () => {
    for (let i = 0; i < imageCount; i++) await sharp(tiny).raw().toBuffer();
  });
  const tensors = await time('decodeForModel (sharp + float layout, one at a time)', async () => {
    const out: Float32Array[] = [];
    for (const file of files) out.push((await decodeForModel(file, input)).data);
    return out;
  });
  const decodeInFlightStage = 'decodeForModel, all in flight (thread pool)';
  await time(decodeInFlightStage, () => Promise.all(files.map((file) => decodeForModel(file, input))));

  await encoder.embed(tensors.slice(0, batchSize)); // warm-up
  await time(`inference, embedding output only (batch ${batchSize})`, async () => {
    for (let i = 0; i < tensors.length; i += batchSize) await encoder.embed(tensors.slice(i, i + batchSize));
  });
  const maps: Float32Array[] = [];
  let positions = 0;
  let channels = 0;
  const inferenceStage = `inference, embedding + feature map (batch ${batchSize})`;
  await time(inferenceStage, async () => {
    for (let i = 0; i < tensors.length; i += batchSize) {
      const encoded = await encoder.encode(tensors.slice(i, i + batchSize), true);
      maps.push(...encoded.featureMaps!.perImage);
      positions = encoded.featureMaps!.positions;
      channels = encoded.featureMaps!.channels;
    }
  });
  const patternsStage = 'FreeSel patterns, K = 1';
  await time(patternsStage, async () => {
    for (const map of maps) semanticPatterns(map, positions, channels, 1);
  });
  const store = await EmbeddingStore.open(join(work, 'cache'), encoder.descriptor.id);
  const cacheStage = 'cache append + flush (embedding + patterns)';
  await time(cacheStage, async () => {
    for (let i = 0; i < imageCount; i += batchSize) {
      const records = [];
      for (let j = i; j < Math.min(imageCount, i + batchSize); j++) {
        const hash = j.toString(16).padStart(64, '0');
        records.push({ hash, kind: 'embedding', shape: [1280], data: new Float32Array(1280) });
        records.push({ hash, kind: 'patterns-k1', shape: [1, 1280], data: new Float32Array(1280) });
      }
      await store.append(records);
    }
    await store.flush();
  });
  await store.close();
  await encoders.dispose();

  // With every core busy, the pipeline's wall time per image is at least its CPU time per image
  // over the cores; the model-only run's is the inference stage's wall time. Their quotient caps
  // pipeline / model-only, however well the stages overlap.
  const cores = availableParallelism();
  const modelWall = stages.find((s) => s.stage === inferenceStage)!.msPerImage;
  const modelCpu = cpuOf(inferenceStage);
  const otherCpu = cpuOf('content hash (sha256, 8 in flight)') + cpuOf(patternsStage) + cpuOf(cacheStage);
  // The pipeline decodes with several images in flight, as this stage does.
  const decodeCpu = cpuOf(decodeInFlightStage);
  const pipelineCpu = modelCpu + decodeCpu + otherCpu;
  const ceiling = {
    cores,
    modelWallMsPerImage: modelWall,
    modelCpuMsPerImage: modelCpu,
    decodeCpuMsPerImage: decodeCpu,
    otherCpuMsPerImage: round(otherCpu, 2),
    ratioCeiling: round((cores * modelWall) / pipelineCpu, 3),
    decodeCpuMsFor085: round((cores * modelWall) / 0.85 - modelCpu - otherCpu, 2),
  };
  const figures = { date: new Date().toISOString(), machine: machineDescription(), loadAverage: loadavg().map((value) => value.toFixed(2)).join(' / '), images: imageCount, batchSize, stages, ceiling };
  const table = stages.map(({ stage, msPerImage, cpuMsPerImage }) => `| ${stage} | ${msPerImage} | ${cpuMsPerImage} |`).join('\n');
  const markdown = `# Embedding pipeline, stage by stage

Measured ${figures.date} on ${figures.machine}, CPU provider (no GPU on this machine); load average (1 / 5 / 15 min) at the end ${figures.loadAverage}.
Command: \`node dist/bench/embedStages.js --images ${imageCount} --batch ${batchSize}\`; the same
typical images as the embedding benchmark. Each stage runs alone, so these are costs, not the
overlapped pipeline's wall time. JPEG shrink-on-load (libvips decoding at 1/2, 1/4 or 1/8 scale)
applies only to JPEGs at least twice the ${width} px target, so it does little for images of a few
hundred pixels; decoding them costs what their pixels cost.

| stage | ms per image | CPU ms per image |
|---|---|---|
${table}

**What this allows on ${cores} cores.** Per image, the model takes ${modelWall} ms of wall time alone and
${modelCpu} ms of CPU time; decoding (all in flight, as the pipeline does) ${decodeCpu} CPU ms; hashing,
patterns and cache writes ${ceiling.otherCpuMsPerImage} CPU ms. With every core busy the pipeline
needs at least ${round(pipelineCpu, 2)} / ${cores} ms per image, so pipeline / model-only is at most
${cores} x ${modelWall} / ${round(pipelineCpu, 2)} = **${ceiling.ratioCeiling}**, however well the stages overlap.
Reaching 0.85 would need decoding at ${ceiling.decodeCpuMsFor085} CPU ms per image or less, while
sharp's floor here is the "decode only" row (no resize, no float layout) and a call on a 16x16
image costs the "fixed cost" row.
`;
  console.log(markdown);
  const outDir = join(repo, 'bench', 'results');
  await writeBenchResults(outDir, 'embed-stages', figures, markdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
