// Incremental work and memory, through the engine process the extension uses (dist/engine.js,
// driven over its RPC by this process, which plays the extension host's part):
//
// 1. Embedding: a dataset of typical images is embedded on a fresh cache, 1% of the files are
//    edited, and the job runs again; then FreeSel selects from the result. The first run
//    embeds every image at the CPU's model rate, so N is kept small enough to finish here.
// 2. Scan + hash at 100,000 files: the part of a re-run that grows with the whole dataset rather
//    than with what changed. A fresh cache, then 1% of the files rewritten, then again.
// 3. Peak RSS (VmHWM) of the engine process and of this host-side process after all of it.
//
//   npm run bench:incremental [-- --images 10000 --files 100000]
// Prints a table and writes bench/results/incremental.json and bench/results/incremental.md.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../src/core/engine/engineClient';
import { beforeSection, benchFlag, machineDescription, round, TYPICAL_IMAGE_MIX, writeBenchResults, writeTypicalImages } from './lib/benchSupport';
import { ensureLargeDataset, largeDatasetPath, tinyImage } from './lib/largeDataset';
import { scanAndHash } from './lib/scanAndHash';

const repo = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const imageCount = Number(benchFlag('images', '10000'));
  const fileCount = Number(benchFlag('files', '100000'));
  const changedImages = Math.max(1, Math.round(imageCount / 100));
  const changedFiles = Math.max(1, Math.round(fileCount / 100));
  const work = join(repo, '.scratch', 'bench-incremental');
  await rm(work, { recursive: true, force: true });

  const engine = new EngineClient({ enginePath: join(repo, 'dist', 'engine.js'), log: (level, message) => level === 'error' && console.error(message) });
  try {
    const { pid } = await engine.call('ping', {});

    // 1. Embedding, 1% edited.
    const root = join(work, 'dataset');
    await writeTypicalImages(join(root, 'unlabeled'), imageCount);
    const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };
    const embedParams = { root, unlabeledFolderName: 'unlabeled', cacheDir: join(work, 'cache'), model, executionProvider: 'auto' as const, batchSize: 16 };
    const first = await timed(() => engine.call('embedDataset', embedParams));
    console.log(`embed, fresh cache: ${first.seconds.toFixed(1)} s, ${first.value.embedded} embedded`);
    // Every hundredth file gets other pixels under the same name (a different crop of the same photo).
    const step = Math.floor(imageCount / changedImages);
    for (let k = 0; k < changedImages; k++) await writeTypicalImages(join(root, 'unlabeled'), 1, k * step, 1);
    const again = await timed(() => engine.call('embedDataset', embedParams));
    console.log(`embed after ${changedImages} edits: ${again.seconds.toFixed(2)} s, ${again.value.embedded} embedded`);
    if (again.value.embedded !== changedImages) throw new Error(`The re-run embedded ${again.value.embedded} images; expected ${changedImages}.`);
    const select = await timed(() =>
      engine.call('selectSamples', {
        root, unlabeledFolderName: 'unlabeled', cacheDir: embedParams.cacheDir, model, method: 'freesel', budget: 100, seed: 1,
        kernelsDir: join(repo, 'dist', 'models', 'kernels'),
      }),
    );
    console.log(`select (FreeSel, 100): ${select.seconds.toFixed(2)} s`);
    const engineAfterEmbed = await peakRssMiB(pid);

    // 2. Scan + hash at 100,000 files, 1% rewritten. Embedding 100,000 images first would take
    // hours here, so the engine's scan request is timed, and the scan + hash steps of the embedding
    // job run in this process (after its peak RSS as a host is taken).
    const largeRoot = join(benchFlag('dir', join(tmpdir(), 'curator-bench-large')), String(fileCount));
    await ensureLargeDataset(largeRoot, fileCount);
    const scanRequest = { folders: [largeRoot], explicitRoots: [], unlabeledFolderName: 'unlabeled' };
    const engineScan = await timed(() => engine.call('scan', scanRequest));
    const engineAfterScan = await peakRssMiB(pid);
    const hostPeakBeforeLocalWork = process.resourceUsage().maxRSS / 1024;

    const hashCache = join(work, 'hash-cache');
    const fullHash = await timed(() => scanAndHash(largeRoot, hashCache));
    const rewritten = Array.from({ length: changedFiles }, (_, k) => k * Math.floor(fileCount / changedFiles));
    for (const i of rewritten) await writeFile(join(largeRoot, largeDatasetPath(i)), await tinyImage(i, 1));
    const partialHash = await timed(() => scanAndHash(largeRoot, hashCache));
    // Put the rewritten files back, so the dataset on disk stays the one its marker describes.
    for (const i of rewritten) await writeFile(join(largeRoot, largeDatasetPath(i)), await tinyImage(i));
    if (partialHash.value.hashed !== changedFiles) throw new Error(`Re-hash read ${partialHash.value.hashed} files; expected ${changedFiles}.`);

    const figures = {
      date: new Date().toISOString(),
      machine: machineDescription(),
      loadAverage: loadavg().map((value) => value.toFixed(2)).join(' / '),
      command: `npm run bench:incremental -- --images ${imageCount} --files ${fileCount}`,
      provider: first.value.providerNote,
      embed: {
        images: imageCount,
        imageMix: TYPICAL_IMAGE_MIX,
        changed: changedImages,
        firstSeconds: round(first.seconds, 2),
        rerunSeconds: round(again.seconds, 2),
        ratio: round(again.seconds / first.seconds, 4),
        selectFreeSelSeconds: round(select.seconds, 2),
      },
      scanAndHash: {
        files: fileCount,
        changed: changedFiles,
        engineScanSeconds: round(engineScan.seconds, 2),
        firstSeconds: round(fullHash.seconds, 2),
        rerunSeconds: round(partialHash.seconds, 2),
        ratio: round(partialHash.seconds / fullHash.seconds, 4),
      },
      peakRssMiB: {
        engineAfterEmbedAndSelect: round(engineAfterEmbed),
        engineAfterScanOf100k: round(engineAfterScan),
        hostSide: round(hostPeakBeforeLocalWork),
      },
    };
    // At the model-bound rate measured here, a first run on fileCount images would take this long;
    // the scan + hash re-run is what a 1% change adds besides embedding the changed images.
    const perImage = first.seconds / imageCount;
    const projectedFirst = perImage * fileCount;
    const projectedRerun = partialHash.seconds + perImage * changedFiles;

    const outDir = join(repo, 'bench', 'results');
    const before = await beforeSection(outDir, 'incremental', [
      ['scanAndHashFirstSeconds', `scan + hash of ${fileCount.toLocaleString('en')} files, fresh cache, s`],
      ['scanAndHashRerunSeconds', 'scan + hash after rewriting 1%, s'],
    ]);
    const markdown = `# Incremental work and memory

Measured ${figures.date} on ${figures.machine}; ${figures.provider}; no GPU on this machine; load average (1 / 5 / 15 min) at the end ${figures.loadAverage}.
Command: \`${figures.command}\`, through the engine process (\`dist/engine.js\`) over its RPC.

**Embedding, ${imageCount.toLocaleString('en')} images** (${TYPICAL_IMAGE_MIX}), ${changedImages} of them (1%) edited between runs:

| figure | value |
|---|---|
| first run (scan, hash, decode, embed, patterns, cache writes) | ${figures.embed.firstSeconds} s |
| re-run after editing 1% | ${figures.embed.rerunSeconds} s (${again.value.embedded} embedded, ${again.value.fromCache} from cache) |
| re-run / first run | ${figures.embed.ratio} |
| FreeSel selection of 100 afterwards | ${figures.embed.selectFreeSelSeconds} s |

**Scan + hash, ${fileCount.toLocaleString('en')} files** (tiny PNG and JPEG images), ${changedFiles.toLocaleString('en')} of them (1%) rewritten between runs:

| figure | value |
|---|---|
| scan in the engine (\`scan\` request, all roots) | ${figures.scanAndHash.engineScanSeconds} s |
| scan + hash every file, fresh cache | ${figures.scanAndHash.firstSeconds} s |
| scan + hash after rewriting 1% (only those are read again) | ${figures.scanAndHash.rerunSeconds} s |
| re-run / first run | ${figures.scanAndHash.ratio} |

A whole first run at ${fileCount.toLocaleString('en')} images would take about ${Math.round(projectedFirst).toLocaleString('en')} s at the
per-image time measured above (${round(perImage * 1000)} ms); a 1% re-run about ${round(projectedRerun)} s (the scan + hash
re-run plus ${changedFiles.toLocaleString('en')} images through the model), ${round((projectedRerun / projectedFirst) * 100, 2)}% of it. These two are
projections from the measured parts, not measurements.

**Peak RSS** (VmHWM from /proc):

| process | peak RSS |
|---|---|
| engine, after embed + re-run + select on ${imageCount.toLocaleString('en')} images | ${figures.peakRssMiB.engineAfterEmbedAndSelect} MiB |
| engine, after also scanning ${fileCount.toLocaleString('en')} files | ${figures.peakRssMiB.engineAfterScanOf100k} MiB |
| host side (this process, before its own scan + hash: it wrote the test images with sharp, then only sent requests and kept their results; an upper bound for the extension host's share) | ${figures.peakRssMiB.hostSide} MiB |

The host side never holds the embedding matrix: \`src/host/\` does not import the embedding store;
it receives scan summaries, counts, selections, review pages of 60 items and the review map's
2-D points over the RPC, while embeddings are read and used inside the engine process.
${before}`;
    console.log(markdown);
    await writeBenchResults(outDir, 'incremental', figures, markdown);
  } finally {
    engine.dispose();
  }
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - start) / 1000 };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
