// The image-quality checks: what computing their statistics adds to the embedding pass, and how the
// findings look on real photos.
//
// 1. Overhead: the embed job on the same images with and without the statistics (imageStats),
//    fresh caches, interleaved rounds on this shared machine, medians; also the statistics-only pass
//    an already embedded dataset gets (one decode, no forward pass). On cifar10-dev's pool (32 px
//    JPEGs, where decoding is cheapest and the statistics weigh most) and on typical photos.
// 2. Findings on cifar10-dev (all 6,000 images) and on a constructed set: crops of real photos plus
//    images made dark, bright, blurred, flat, grey, odd-shaped and tiny from other crops (sharp), with
//    precision and recall per kind; and the same set darkened as a whole ("night photos").
// 3. The findings' own cost on 100,000 images' statistics.
//
//   npm run bench:quality [-- --images 1000 --photos 200 --rounds 3 --skip-overhead]
//   npm run bench:quality -- --overhead-only --images 300 --photos 100 --rounds 15
// Writes bench/results/quality.json and .md (with --overhead-only: quality-overhead.json and .md,
// many short interleaved rounds, for a machine whose load swings).

import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { basename, join, relative } from 'node:path';
import { decodeImage } from '../src/core/embed/imageDecoder';
import { EncoderCache } from '../src/core/embed/encoderCache';
import type { ModelDescriptor } from '../src/core/model/descriptor';
import { resolveModel } from '../src/core/model/registry';
import { embedDataset } from '../src/core/jobs/embedDataset';
import { FINDING_KINDS, findImageProblems, type FindingKind, type ImageFinding, type StatsOfImage } from '../src/core/quality/imageFindings';
import { pixelStats } from '../src/core/quality/imageStats';
import { forEachConcurrently } from '../src/core/util/concurrency';
import { PROBLEM_RECIPES, writeProblemImages } from '../test/fixtures/problemImages';
import { beforeSection, benchFlag, machineDescription, round, TYPICAL_IMAGE_MIX, writeBenchResults, writeTypicalImages } from './lib/benchSupport';
import { CIFAR_DEV_DIR, cifarSplit } from './lib/cifarDev';
import sharp from 'sharp';

const repo = join(__dirname, '..', '..');
const work = join(repo, '.scratch', 'bench-quality');

interface OverheadFigures {
  set: string;
  images: number;
  /** Medians over rounds, wall seconds and CPU seconds (every thread of this process). */
  withoutStats: number;
  withStats: number;
  statsOnly: number;
  ratio: number;
  cpuWithoutStats: number;
  cpuWithStats: number;
  cpuRatio: number;
  /** Median over rounds of each round's own ratio (runs seconds apart). */
  pairedRatio: number;
  pairedCpuRatio: number;
}

/** The statistics' two costs per image, measured alone: the header read and the pass over the pixels. */
interface ComponentFigures {
  headerReadMs: number;
  pixelStatsMs: number;
  decodeMs: number;
}

async function main(): Promise<void> {
  const imageCount = Number(benchFlag('images', '1000'));
  const photoCount = Number(benchFlag('photos', '200'));
  const rounds = Number(benchFlag('rounds', '3'));
  const skipOverhead = process.argv.includes('--skip-overhead');
  const overheadOnly = process.argv.includes('--overhead-only');
  const command = `npm run bench:quality -- ${process.argv.slice(2).join(' ')}`.trim();
  const loadBefore = loadAverage();
  await rm(work, { recursive: true, force: true });
  const model = { setting: 'default', bundledDir: join(repo, 'dist', 'models', 'default'), storageDir: join(work, 'models') };
  const { descriptor } = await resolveModel(model.setting, { bundledDir: model.bundledDir, storageDir: model.storageDir });

  // The constructed set: normal crops, and problem images made from other crops.
  const photosRoot = join(work, 'photos');
  const normal = await writeTypicalImages(join(photosRoot, 'unlabeled'), photoCount);
  const sources = await writeTypicalImages(join(work, 'sources'), 3, photoCount);
  const problems = await writeProblemImages(join(photosRoot, 'unlabeled', 'problems'), sources, FINDING_KINDS);

  const overhead: OverheadFigures[] = [];
  const components: Record<string, ComponentFigures> = {};
  if (!skipOverhead) {
    const cifarRoot = await cifarSubset(imageCount);
    components['cifar10-dev (32 px JPEG)'] = await measureComponents(cifarSplit('pool', 20).paths, descriptor.input);
    components['typical photos'] = await measureComponents(normal.slice(0, 100), descriptor.input);
    overhead.push(await measureOverhead('cifar10-dev pool (32 px JPEG)', cifarRoot, model, rounds));
    overhead.push(await measureOverhead(`typical photos (${TYPICAL_IMAGE_MIX})`, photosRoot, model, rounds));
  }

  if (overheadOnly) {
    const figures = { date: new Date().toISOString(), machine: machineDescription(), loadAverage: { before: loadBefore, after: loadAverage() }, command, model: descriptor.id, overhead, components };
    await writeBenchResults(join(repo, 'bench', 'results'), 'quality-overhead', figures, overheadMarkdown(figures, rounds));
    process.stdout.write(overheadMarkdown(figures, rounds));
    return;
  }
  const cifar = cifarSplit('pool');
  const cifarTest = cifarSplit('test');
  const cifarFiles = [...cifar.paths, ...cifarTest.paths];
  const cifarStats = await statsOfFiles(cifarFiles, descriptor.input, CIFAR_DEV_DIR);
  const cifarFindings = findImageProblems(cifarStats);

  const constructedFiles = [...normal, ...problems.map((p) => p.file)];
  const constructedStats = await statsOfFiles(constructedFiles, descriptor.input, photosRoot);
  const constructed = findImageProblems(constructedStats);
  const truth = new Map(problems.map((p) => [relative(photosRoot, p.file), p.kind]));
  const perKind = FINDING_KINDS.map((kind) => scoreKind(kind, constructed.findings, truth));

  // Night photos: every normal crop darkened to a quarter, with the dark problem images among them.
  const nightFiles = await darkened(normal, join(work, 'night'), 0.25);
  const nightStats = await statsOfFiles([...nightFiles, ...problems.filter((p) => p.kind === 'dark').map((p) => p.file)], descriptor.input, work);
  const night = findImageProblems(nightStats);
  const nightDark = night.findings.filter((f) => f.kind === 'dark');

  const synthetic = syntheticStats(100_000);
  const findingsStarted = performance.now();
  const syntheticFindings = findImageProblems(synthetic);
  const findingsSeconds = (performance.now() - findingsStarted) / 1000;

  const figures = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    loadAverage: { before: loadBefore, after: loadAverage() },
    command,
    model: descriptor.id,
    overhead,
    components,
    cifar: { images: cifarStats.length, counts: countKinds(cifarFindings.findings), thresholds: cifarFindings.thresholds, worst: worstPerKind(cifarFindings.findings) },
    constructed: { normal: normal.length, problems: problems.length, perKind, thresholds: constructed.thresholds },
    night: {
      images: nightStats.length,
      darkFound: nightDark.length,
      darkFoundAmongProblems: nightDark.filter((f) => basename(f.path).startsWith('dark-')).length,
      darkThreshold: night.thresholds.find((t) => t.kind === 'dark')!.threshold,
      medianBrightness: night.thresholds.find((t) => t.kind === 'dark')!.median,
    },
    findings100k: { seconds: round(findingsSeconds, 3), findings: syntheticFindings.findings.length },
  };
  const resultsDir = join(repo, 'bench', 'results');
  const before = await beforeSection(resultsDir, 'quality', [['overheadSummary', 'overhead (paired wall ratio, paired CPU ratio per set)']]);
  const text = markdown(figures, rounds) + before;
  await writeBenchResults(resultsDir, 'quality', { ...figures, overheadSummary: overheadSummary(overhead) }, text);
  process.stdout.write(text);
}

/** The first `count` files of cifar10-dev's pool (every class alike), copied into a scratch root's unlabelled folder. */
async function cifarSubset(count: number): Promise<string> {
  const perClass = Math.ceil(count / 10);
  const { paths } = cifarSplit('pool', perClass);
  const root = join(work, 'cifar');
  const { cp, mkdir } = await import('node:fs/promises');
  await mkdir(join(root, 'unlabeled'), { recursive: true });
  await Promise.all(paths.slice(0, count).map((path, i) => cp(path, join(root, 'unlabeled', `${i}-${basename(path)}`))));
  return root;
}

async function measureOverhead(set: string, root: string, model: { setting: string; bundledDir: string; storageDir: string }, rounds: number): Promise<OverheadFigures> {
  const encoders = new EncoderCache();
  const base = { root, unlabeledFolderName: 'unlabeled', model, executionProvider: 'auto' as const, batchSize: 16 };
  // Warm-up: the model loaded, the files in the page cache.
  await embedDataset({ ...base, cacheDir: join(work, 'cache-warm-up'), imageStats: true }, { encoders });
  const without: number[] = [];
  const withStats: number[] = [];
  const statsOnly: number[] = [];
  const cpuWithout: number[] = [];
  const cpuWith: number[] = [];
  let images = 0;
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so a trend in the machine's load falls on both alike.
    const order = r % 2 === 0 ? [false, true] : [true, false];
    for (const stats of order) {
      const cacheDir = join(work, `cache-${stats ? 'with' : 'without'}-${r}`);
      await rm(cacheDir, { recursive: true, force: true });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await embedDataset({ ...base, cacheDir, imageStats: stats }, { encoders });
      const used = process.cpuUsage(cpu);
      const seconds = (performance.now() - started) / 1000;
      images = result.embedded;
      (stats ? withStats : without).push(seconds);
      (stats ? cpuWith : cpuWithout).push((used.user + used.system) / 1e6);
      if (!stats) {
        // The same cache, embedded without statistics, now gets only them: decode, no forward pass.
        const again = performance.now();
        const second = await embedDataset({ ...base, cacheDir, imageStats: true }, { encoders });
        if (!(second.statsComputed! > 0) || second.embedded !== 0) throw new Error(`statistics-only pass computed ${second.statsComputed} and embedded ${second.embedded}`);
        statsOnly.push((performance.now() - again) / 1000);
      }
    }
    process.stderr.write(
      `${set} round ${r + 1}: without ${round(without[r], 2)} s (CPU ${round(cpuWithout[r], 2)} s), with ${round(withStats[r], 2)} s (CPU ${round(cpuWith[r], 2)} s), statistics only ${round(statsOnly[r], 2)} s\n`,
    );
  }
  await encoders.dispose();
  const m = { without: median(without), with: median(withStats), only: median(statsOnly), cpuWithout: median(cpuWithout), cpuWith: median(cpuWith) };
  return {
    set,
    images,
    withoutStats: round(m.without, 2),
    withStats: round(m.with, 2),
    statsOnly: round(m.only, 2),
    ratio: round(m.with / m.without, 3),
    cpuWithoutStats: round(m.cpuWithout, 2),
    cpuWithStats: round(m.cpuWith, 2),
    cpuRatio: round(m.cpuWith / m.cpuWithout, 3),
    pairedRatio: round(median(withStats.map((w, r) => w / without[r])), 3),
    pairedCpuRatio: round(median(cpuWith.map((w, r) => w / cpuWithout[r])), 3),
  };
}

/** The header read and the statistics alone, per image, on the thread this process runs them on (medians of 3 passes). */
async function measureComponents(files: string[], input: ModelDescriptor['input']): Promise<ComponentFigures> {
  const decoded = await Promise.all(files.map((file) => decodeImage(file, input, { keepPixels: true, skipTensor: true })));
  const perImage = async (task: (i: number) => unknown): Promise<number> => {
    const passes: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < files.length; i++) await task(i);
      const used = process.cpuUsage(cpu);
      passes.push((used.user + used.system) / 1000 / files.length);
    }
    return round(median(passes), 3);
  };
  return {
    headerReadMs: await perImage((i) => sharp(files[i]).metadata()),
    pixelStatsMs: await perImage((i) => pixelStats(decoded[i].pixels!)),
    decodeMs: await perImage((i) => decodeImage(files[i], input)),
  };
}

/** The statistics the embed job stores, computed here without the model (the same decode and function). */
async function statsOfFiles(files: string[], input: ModelDescriptor['input'], root: string): Promise<StatsOfImage[]> {
  const out: StatsOfImage[] = new Array(files.length);
  const indexed = files.map((file, i) => ({ file, i }));
  await forEachConcurrently(indexed, 4, undefined, async ({ file, i }) => {
    const { pixels } = await decodeImage(file, input, { keepPixels: true, skipTensor: true });
    out[i] = { path: relative(root, file), stats: { width: pixels!.sourceWidth, height: pixels!.sourceHeight, ...pixelStats(pixels!) } };
  });
  return out;
}

async function darkened(files: string[], dir: string, factor: number): Promise<string[]> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return Promise.all(
    files.map(async (file) => {
      const out = join(dir, basename(file));
      await sharp(file).linear(factor, 0).toFile(out);
      return out;
    }),
  );
}

function scoreKind(kind: FindingKind, findings: ImageFinding[], truth: Map<string, FindingKind>): { kind: FindingKind; made: number; found: number; truePositives: number; precision: number | null; recall: number | null; falsePositives: string[] } {
  const flagged = findings.filter((f) => f.kind === kind);
  const made = [...truth.values()].filter((k) => k === kind).length;
  const hits = flagged.filter((f) => truth.get(f.path) === kind);
  return {
    kind,
    made,
    found: flagged.length,
    truePositives: hits.length,
    precision: flagged.length > 0 ? round(hits.length / flagged.length, 3) : null,
    recall: made > 0 ? round(hits.length / made, 3) : null,
    falsePositives: flagged.filter((f) => truth.get(f.path) !== kind).map((f) => f.path),
  };
}

function countKinds(findings: ImageFinding[]): Record<string, number> {
  return Object.fromEntries(FINDING_KINDS.map((kind) => [kind, findings.filter((f) => f.kind === kind).length]));
}

function worstPerKind(findings: ImageFinding[]): Record<string, string[]> {
  return Object.fromEntries(FINDING_KINDS.map((kind) => [kind, findings.filter((f) => f.kind === kind).slice(0, 3).map((f) => `${f.path} (${f.score})`)]));
}

/** Plausible statistics for n photos (seeded), for timing the findings alone. */
function syntheticStats(n: number): StatsOfImage[] {
  let seed = 12345;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => ({
    path: `img_${i}.jpg`,
    stats: { width: 300 + Math.floor(next() * 400), height: 300 + Math.floor(next() * 300), brightness: 0.2 + 0.6 * next(), contrast: 0.1 + 0.2 * next(), sharpness: 0.5 + 3 * next(), entropy: 5 + 3 * next(), saturation: 0.05 + 0.5 * next() },
  }));
}

/** One line per set for the comparison with an earlier run. */
function overheadSummary(overhead: OverheadFigures[]): string {
  return overhead.map((o) => `${o.set.split(' (')[0]}: ${o.pairedRatio} wall, ${o.pairedCpuRatio} CPU`).join('; ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function loadAverage(): string {
  return loadavg().map((value) => value.toFixed(2)).join(' / ');
}

type Figures = {
  date: string;
  machine: string;
  loadAverage: { before: string; after: string };
  command: string;
  model: string;
  overhead: OverheadFigures[];
  components: Record<string, ComponentFigures>;
  cifar: { images: number; counts: Record<string, number>; thresholds: unknown[]; worst: Record<string, string[]> };
  constructed: { normal: number; problems: number; perKind: ReturnType<typeof scoreKind>[] };
  night: { images: number; darkFound: number; darkFoundAmongProblems: number; darkThreshold: number; medianBrightness: number };
  findings100k: { seconds: number; findings: number };
};

type OverheadPart = Pick<Figures, 'date' | 'machine' | 'loadAverage' | 'command' | 'model' | 'overhead' | 'components'>;

function overheadSection(f: OverheadPart, rounds: number): string {
  return `## What the statistics add to the embedding pass

The embed job on the same images into fresh caches, with and without the statistics, medians of ${rounds} interleaved rounds
(wall time, and CPU time of every thread of the process, which other people's jobs on a shared machine disturb less).
"Paired": the median of each round's own ratio. "Statistics only": a cache embedded without them gets them in a later run (one decode per image, no forward pass).

| images | n | without (s) | with (s) | ratio | paired ratio | CPU without (s) | CPU with (s) | CPU ratio | paired CPU ratio | statistics only (s) |
|---|---|---|---|---|---|---|---|---|---|---|
${f.overhead.map((o) => `| ${o.set} | ${o.images} | ${o.withoutStats} | ${o.withStats} | ${o.ratio} | ${o.pairedRatio} | ${o.cpuWithoutStats} | ${o.cpuWithStats} | **${o.cpuRatio}** | ${o.pairedCpuRatio} | ${o.statsOnly} |`).join('\n') || '| (not measured: --skip-overhead) | | | | | | | | | | |'}

What the statistics add per image, each part measured alone (CPU ms per image, medians of 3 passes), beside a decode for the model:

| images | header read (metadata) | statistics of the pixels | decode + resize + tensor (for scale) |
|---|---|---|---|
${Object.entries(f.components).map(([set, c]) => `| ${set} | ${c.headerReadMs} | ${c.pixelStatsMs} | ${c.decodeMs} |`).join('\n')}`;
}

function overheadMarkdown(f: OverheadPart, rounds: number): string {
  return `# Image-quality checks: what the statistics add to the embedding pass

Measured ${f.date} on ${f.machine}; load average (1 / 5 / 15 min) ${f.loadAverage.before} before, ${f.loadAverage.after} after.
Command: \`${f.command}\`. Model \`${f.model}\`, CPU.

${overheadSection(f, rounds)}
`;
}

function markdown(f: Figures, rounds: number): string {
  const recipes = Object.keys(PROBLEM_RECIPES).join(', ');
  return `# Image-quality checks

Measured ${f.date} on ${f.machine}; load average (1 / 5 / 15 min) ${f.loadAverage.before} before, ${f.loadAverage.after} after.
Command: \`${f.command}\`. Model \`${f.model}\`, CPU.

${overheadSection(f, rounds)}
The findings themselves, from 100,000 images' statistics: ${f.findings100k.seconds} s.

## Findings on cifar10-dev (${f.cifar.images} images)

${FINDING_KINDS.map((kind) => `- ${kind}: ${f.cifar.counts[kind]}${f.cifar.worst[kind].length > 0 ? ` (worst: ${f.cifar.worst[kind].join(', ')})` : ''}`).join('\n')}

## Constructed set: ${f.constructed.normal} crops of real photos + ${f.constructed.problems} made problems

Each problem image is a crop made ${recipes} (see test/fixtures/problemImages.ts), from 3 crops not among the normal ones.

| kind | made | found | correct | precision | recall | false positives |
|---|---|---|---|---|---|---|
${f.constructed.perKind.map((k) => `| ${k.kind} | ${k.made} | ${k.found} | ${k.truePositives} | ${k.precision ?? 'n/a'} | ${k.recall ?? 'n/a'} | ${k.falsePositives.slice(0, 4).join(', ')}${k.falsePositives.length > 4 ? ', ...' : ''} |`).join('\n')}

Night photos: the ${f.constructed.normal} crops darkened to a quarter, with the 3 dark problem images among them (${f.night.images} images):
${f.night.darkFound} found dark, ${f.night.darkFoundAmongProblems} of them the dark problem images (median brightness ${f.night.medianBrightness}, dark below ${f.night.darkThreshold}).
`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
