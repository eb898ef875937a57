// Embedding throughput: end-to-end (files on disk -> cached embeddings, through the pipeline the
// extension and CLI use) against the model-only forward rate on ready tensors at the same batch
// size, measured in one run so the ratio is meaningful on a noisy machine.
//
//   npm run bench [-- --images 256 --batch 16 --provider auto]
// Prints a table and writes bench/results/embed.json and bench/results/embed.md.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { EncoderCache } from '../src/core/embed/encoderCache';
import { decodeForModel } from '../src/core/embed/imageDecoder';
import type { ExecutionProviderSetting } from '../src/core/embed/types';
import { embedDataset } from '../src/core/jobs/embedDataset';
import { skimagePhotos } from '../test/fixtures/photos';

const repo = join(__dirname, '..', '..');
const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

async function main(): Promise<void> {
  const imageCount = Number(flag('images', '256'));
  const batchSize = Number(flag('batch', '16'));
  const provider = flag('provider', 'auto') as ExecutionProviderSetting;
  const work = join(repo, '.scratch', 'bench-embed');
  await rm(work, { recursive: true, force: true });
  const root = join(work, 'dataset');
  const files = await writeTypicalImages(join(root, 'unlabeled'), imageCount);

  const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };
  const encoders = new EncoderCache();
  const encoder = await encoders.get(model, provider);

  // Model only: decoded tensors ready in memory, forward passes back to back (one warm-up batch first).
  const tensors = await Promise.all(files.map((file) => decodeForModel(file, encoder.descriptor.input).then((d) => d.data)));
  await encoder.embed(tensors.slice(0, batchSize));
  const modelStart = performance.now();
  for (let i = 0; i < tensors.length; i += batchSize) await encoder.embed(tensors.slice(i, i + batchSize));
  const modelSeconds = (performance.now() - modelStart) / 1000;

  // End to end: scan, hash, decode (overlapped with inference) and cache writes, on a fresh cache.
  const params = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(work, 'cache'), model, executionProvider: provider, batchSize };
  const pipelineStart = performance.now();
  const result = await embedDataset(params, { encoders });
  const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
  if (result.embedded !== imageCount) throw new Error(`Pipeline embedded ${result.embedded} of ${imageCount} images.`);

  // Second run: everything comes from the cache.
  const cachedStart = performance.now();
  const cached = await embedDataset(params, { encoders });
  const cachedSeconds = (performance.now() - cachedStart) / 1000;
  await encoders.dispose();

  const modelRate = imageCount / modelSeconds;
  const pipelineRate = imageCount / pipelineSeconds;
  const figures = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, Node ${process.version}`,
    command: `npm run bench -- --images ${imageCount} --batch ${batchSize} --provider ${provider}`,
    model: result.modelId,
    provider: result.providerNote,
    images: imageCount,
    imageMix: 'crops of 4 skimage photos, 256-512 px per side, half JPEG (quality 90) and half PNG',
    batchSize,
    modelOnlyImagesPerSecond: round(modelRate),
    pipelineImagesPerSecond: round(pipelineRate),
    pipelineDecodeInferImagesPerSecond: round(result.imagesPerSecond),
    pipelineToModelRatio: round(pipelineRate / modelRate, 3),
    cachedRerunSeconds: round(cachedSeconds, 3),
    cachedRerunFromCache: cached.fromCache,
  };
  const rows: Array<[string, string]> = [
    ['model-only forward (ready tensors)', `${figures.modelOnlyImagesPerSecond} img/s`],
    ['end-to-end pipeline (files -> cache)', `${figures.pipelineImagesPerSecond} img/s`],
    ['  of which decode + inference phase', `${figures.pipelineDecodeInferImagesPerSecond} img/s`],
    ['pipeline / model-only', `${figures.pipelineToModelRatio}`],
    [`re-run, all ${cached.fromCache} cached`, `${figures.cachedRerunSeconds} s`],
  ];
  const table = rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n');
  const markdown = `# Embedding benchmark

Measured ${figures.date} on ${figures.machine}.
Command: \`${figures.command}\`. Model \`${figures.model}\` on ${figures.provider}; batch ${batchSize};
${imageCount} images (${figures.imageMix}).

| figure | value |
|---|---|
${table}
`;
  console.log(markdown);
  const outDir = join(repo, 'bench', 'results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'embed.json'), JSON.stringify(figures, null, 2) + '\n');
  await writeFile(join(outDir, 'embed.md'), markdown);
  console.log(`Wrote ${join('bench', 'results', 'embed.json')} and embed.md`);
}

/** Typical dataset images: crops of real photos, a few hundred pixels per side, JPEG and PNG. */
async function writeTypicalImages(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const photos = await skimagePhotos();
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sharp(photos[i % photos.length]);
    const { width = 512, height = 512 } = await source.metadata();
    // Deterministic crop sizes and offsets, so every run measures the same bytes.
    const w = Math.min(width, 256 + ((i * 37) % 257));
    const h = Math.min(height, 256 + ((i * 53) % 257));
    const left = (i * 97) % Math.max(1, width - w);
    const top = (i * 61) % Math.max(1, height - h);
    const crop = sharp(photos[i % photos.length]).extract({ left, top, width: w, height: h }).removeAlpha();
    const file = join(dir, `img_${String(i).padStart(5, '0')}.${i % 2 === 0 ? 'jpg' : 'png'}`);
    await (i % 2 === 0 ? crop.jpeg({ quality: 90 }) : crop.png()).toFile(file);
    files.push(file);
  }
  return files;
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
