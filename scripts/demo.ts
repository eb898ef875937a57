// The main job on a bundled default: builds a sample dataset of real MNIST digits (some labelled,
// most unlabelled, two broken files), then runs scan -> embed -> embed again (cached) -> export
// through the same engine process the extension uses, and prints what it found.
//
//   npm run demo [-- --dir <folder>]

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EngineClient } from '../src/core/engine/engineClient';
import { scanDetails, embedHeadline } from '../src/core/report/summaryText';
import { resolveCacheDir } from '../src/core/workspace/cacheDir';
import { readNpy } from '../src/core/export/npy';
import { knnAccuracy } from './lib/knn';
import { mnistDigits, writeDigitPng } from './lib/mnist';

const LABELLED_PER_CLASS = 10;
const UNLABELLED_PER_CLASS = 40;

async function main(): Promise<void> {
  const dirFlag = process.argv.indexOf('--dir');
  const sampleDir = resolve(dirFlag > 0 ? process.argv[dirFlag + 1] : join(__dirname, '..', '..', 'sample'));
  const root = join(sampleDir, 'mnist');
  const truthFile = join(sampleDir, 'mnist-truth.json');
  if (!existsSync(truthFile)) await buildSample(root, truthFile);
  const truth = JSON.parse(await readFile(truthFile, 'utf8')) as Record<string, string>;
  console.log(`Sample dataset: ${root}`);

  const engine = new EngineClient({ enginePath: join(__dirname, '..', 'engine.js'), log: (level, message) => level !== 'info' && console.error(message) });
  try {
    const model = { setting: 'default', bundledDir: join(__dirname, '..', 'models', 'default'), storageDir: join(sampleDir, '.models') };
    const [summary] = await engine.call('scan', { folders: [sampleDir], explicitRoots: [], unlabeledFolderName: 'unlabeled' });
    if (!summary) throw new Error(`No dataset root found in ${sampleDir}.`);
    console.log(`\n1. Scan\n${scanDetails(summary, 'mnist')}`);

    const params = { root, unlabeledFolderName: 'unlabeled', cacheDir: resolveCacheDir(root, ''), model, executionProvider: 'auto' as const, batchSize: 16 };
    const onProgress = (p: { phase: string; done: number; total: number; imagesPerSecond?: number }): void => {
      if (p.phase === 'embed' && process.stderr.isTTY) process.stderr.write(`\r  ${p.done}/${p.total} images${p.imagesPerSecond ? `, ${p.imagesPerSecond.toFixed(0)} img/s` : ''}   `);
    };
    const first = await engine.call('embedDataset', params, { onProgress });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.log(`\n2. Embed\n  ${embedHeadline([first])}\n  model: ${first.modelId} (${first.dim} dims), execution provider: ${first.providerNote}`);
    for (const failure of first.failed) console.log(`  could not embed ${failure.relPath}: ${failure.message}`);

    const second = await engine.call('embedDataset', params);
    console.log(`\n3. Embed again (cache by content hash)\n  ${second.embedded} computed, ${second.fromCache} from cache`);

    const outDir = join(sampleDir, 'export');
    const exported = await engine.call('exportEmbeddings', { root, unlabeledFolderName: 'unlabeled', cacheDir: params.cacheDir, model, outDir });
    console.log(`\n4. Export for Python\n  ${exported.rows} x ${exported.dim} -> ${join(outDir, 'embeddings.npy')} + index.csv`);

    const matrix = await readNpy(join(outDir, 'embeddings.npy'));
    const rows = (await readFile(join(outDir, 'index.csv'), 'utf8')).trim().split(/\r?\n/).slice(1).map((line) => line.split(','));
    const labelled = rows.filter((r) => r[2]).map((r) => ({ row: Number(r[0]), label: r[2] }));
    const queries = rows.filter((r) => !r[2] && truth[r[1]] !== undefined).map((r) => ({ row: Number(r[0]), label: truth[r[1]] }));
    const accuracy = knnAccuracy(matrix.data, matrix.shape[1], labelled, queries, 1);
    console.log(
      `\n5. What the embeddings know\n  the nearest labelled neighbour (cosine, centred) names the digit of ${(accuracy * 100).toFixed(1)}% of the ${queries.length} unlabelled images` +
        ` from only ${labelled.length} labels (chance: 10%).`,
    );
    console.log(`\nTry the extension on this sample: open ${sampleDir} in VS Code (F5 from this repository) and run "Curator: Scan Workspace".`);
  } finally {
    engine.dispose();
  }
}

async function buildSample(root: string, truthFile: string): Promise<void> {
  const truth: Record<string, string> = {};
  await mkdir(join(root, 'unlabeled'), { recursive: true });
  let unlabelledIndex = 0;
  for (let digit = 0; digit < 10; digit++) {
    const samples = mnistDigits(digit);
    await mkdir(join(root, String(digit)), { recursive: true });
    for (let i = 0; i < LABELLED_PER_CLASS; i++) await writeDigitPng(join(root, String(digit), `${digit}_${i}.png`), samples[i]);
    for (let i = 0; i < UNLABELLED_PER_CLASS; i++) {
      // Names interleave digits, so the file order says nothing about the class.
      const name = `img_${String(i * 10 + ((digit * 7) % 10)).padStart(4, '0')}.png`;
      await writeDigitPng(join(root, 'unlabeled', name), samples[LABELLED_PER_CLASS + i]);
      truth[`unlabeled/${name}`] = String(digit);
      unlabelledIndex++;
    }
  }
  // Two files that look like images but are not: the scan reports them, the run goes on.
  await writeFile(join(root, 'unlabeled', 'truncated.png'), Buffer.alloc(0));
  await writeFile(join(root, 'unlabeled', 'readme.jpg'), 'this is text, not a JPEG\n');
  await writeFile(truthFile, JSON.stringify(truth, null, 1));
  console.log(`Wrote ${LABELLED_PER_CLASS * 10} labelled and ${unlabelledIndex} unlabelled MNIST digits to ${root}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
