// The main job on a bundled default: builds a sample dataset of real MNIST digits (some labelled,
// most unlabelled, a few labels wrong, two broken files), then runs scan -> embed -> embed again (cached) -> export ->
// select -> suggest labels -> (a dry run of) accepting the sure ones, through the same engine process the extension uses, and prints what it
// found, checked against the digits' true classes.
//
//   npm run demo [-- --dir <folder>]

import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EngineClient } from '../src/core/engine/engineClient';
import { scanDetails, embedHeadline } from '../src/core/report/summaryText';
import { resolveCacheDir } from '../src/core/workspace/cacheDir';
import { readNpy } from '../src/core/export/npy';
import { loadLatestResults } from '../src/core/review/resultFiles';
import { acceptSuggestions, DEFAULT_ACCEPT_PROBABILITY } from '../src/core/suggest/acceptSuggestions';
import { knnAccuracy } from './lib/knn';
import { mnistDigits, writeDigitPng } from './lib/mnist';

const LABELLED_PER_CLASS = 10;
const UNLABELLED_PER_CLASS = 40;
const SELECT_BUDGET = 20;
/** Labelled images filed under the wrong digit, for Find Label Issues to find. */
const PLANTED_ERRORS = 5;

async function main(): Promise<void> {
  const dirFlag = process.argv.indexOf('--dir');
  const sampleDir = resolve(dirFlag > 0 ? process.argv[dirFlag + 1] : join(__dirname, '..', '..', 'sample'));
  const root = join(sampleDir, 'mnist');
  // v2: the sample also holds planted label errors, and the truth covers labelled images too.
  const truthFile = join(sampleDir, 'mnist-truth-v2.json');
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

    // Selection and suggestions, checked against the digits' true classes (which the demo knows).
    const kernelsDir = join(__dirname, '..', 'models', 'kernels');
    const source = { root, unlabeledFolderName: 'unlabeled', cacheDir: params.cacheDir, model };
    const digitsCovered = (paths: string[]): number => new Set(paths.map((path) => truth[path])).size;
    const freesel = await engine.call('selectSamples', { ...source, method: 'freesel', budget: SELECT_BUDGET, seed: 1, kernelsDir });
    const random = await engine.call('selectSamples', { ...source, method: 'random', budget: SELECT_BUDGET, seed: 1, kernelsDir });
    console.log(
      `\n6. Select what to label next (FreeSel, label-free)\n  ${freesel.items.length} of ${freesel.candidates} unlabelled images in ${freesel.seconds.toFixed(2)} s, first ${freesel.items
        .slice(0, 3)
        .map((item) => item.path)
        .join(', ')}\n  they hold ${digitsCovered(freesel.items.map((item) => item.path))} of the 10 digits (a seeded random ${SELECT_BUDGET}: ${digitsCovered(random.items.map((item) => item.path))})`,
    );

    const suggested = await engine.call('suggestLabels', { ...source, method: 'pll', seed: 1 });
    const unlabelledItems = suggested.items.filter((item) => item.label === null && truth[item.path] !== undefined);
    const planted = suggested.items.filter((item) => item.label !== null && truth[item.path] !== undefined && truth[item.path] !== item.label);
    const flagged = suggested.items.filter((item) => item.issue);
    const caught = planted.filter((item) => item.issue).length;
    const share = (hit: (item: (typeof unlabelledItems)[number]) => boolean): string => `${((100 * unlabelledItems.filter(hit).length) / unlabelledItems.length).toFixed(1)}%`;
    console.log(
      `\n7. Suggest labels (partial-label distillation, from the ${suggested.labelled} labels)\n  for the ${unlabelledItems.length} unlabelled images the first suggestion is the true digit for ${share(
        (item) => item.suggestions[0]?.label === truth[item.path],
      )}, one of the first two for ${share((item) => item.suggestions.slice(0, 2).some((s) => s.label === truth[item.path]))}` +
        `\n  ${flagged.length} labelled images flagged as possibly mislabelled, ${caught} of the ${planted.length} planted label errors among them` +
        `\n  written to ${suggested.resultFile}`,
    );

    // What `curator label --accept-suggestions` would label, as a dry run: nothing is written.
    const saved = (await loadLatestResults(source.cacheDir)).suggestions;
    if (!saved) throw new Error(`The suggestions just written to ${suggested.resultFile} could not be read back.`);
    const sure = acceptSuggestions(saved, DEFAULT_ACCEPT_PROBABILITY).changes;
    const right = sure.filter((change) => truth[change.relPath] === change.label).length;
    console.log(
      `\n8. Accept the sure suggestions (curator label --accept-suggestions, dry run)\n  ${sure.length} of the ${unlabelledItems.length} unlabelled images have a first suggestion of p >= ${DEFAULT_ACCEPT_PROBABILITY}; ` +
        `${sure.length > 0 ? ((100 * right) / sure.length).toFixed(1) : '0.0'}% of those labels are the true digit`,
    );
    console.log(`\nTry the extension on this sample: open ${sampleDir} in VS Code (F5 from this repository) and run "Curator: Scan Workspace".`);
  } finally {
    engine.dispose();
  }
}

async function buildSample(root: string, truthFile: string): Promise<void> {
  const truth: Record<string, string> = {};
  await rm(root, { recursive: true, force: true }); // a sample of an older layout
  await mkdir(join(root, 'unlabeled'), { recursive: true });
  let unlabelledIndex = 0;
  for (let digit = 0; digit < 10; digit++) {
    const samples = mnistDigits(digit);
    await mkdir(join(root, String(digit)), { recursive: true });
    for (let i = 0; i < LABELLED_PER_CLASS; i++) {
      // A planted label error: for digits 0-4 the last labelled sample goes into the folder of digit + 5.
      const folder = i === LABELLED_PER_CLASS - 1 && digit < PLANTED_ERRORS ? String(digit + 5) : String(digit);
      const name = `${folder}_${folder === String(digit) ? i : LABELLED_PER_CLASS}.png`;
      await mkdir(join(root, folder), { recursive: true });
      await writeDigitPng(join(root, folder, name), samples[i]);
      truth[`${folder}/${name}`] = String(digit);
    }
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
  console.log(`Wrote ${LABELLED_PER_CLASS * 10} labelled (${PLANTED_ERRORS} of them filed under the wrong digit) and ${unlabelledIndex} unlabelled MNIST digits to ${root}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
