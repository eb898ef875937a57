// Can a user trust the suggestions? On real photographs (../shared/data/cifar10-dev) with MNIST
// beside it, for each encoder (the bundled default and the reference ImageNet MobileNetV2), two
// scenarios of early curation:
//  - "all classes": every class has 20 labelled pool images, the rest of the pool is unlabelled;
//  - "5 of 10": only the first 5 classes have 20 labelled images each; the unlabelled pool holds
//    all 10, so half of it belongs to classes without labels. On cifar10-dev the unknown classes
//    are the known ones' cousins (airplane/ship, automobile/truck, bird/frog, cat/dog, deer/horse).
// For each suggestion method, what "Accept sure" at p >= 0.9 would write (precision, coverage,
// wrong labels, unknown-class images taken), the expected calibration error of the probability
// shown, reliability per bin, and the AUROC of unknownScore. Writes bench/results/trust.{md,json}.
//
//   npm run bench:trust [-- --encoders default,reference --seeds 3 --per-class 20 --datasets cifar10-dev,MNIST]
//   npm run bench:trust -- --only markdown     trust.md again from trust.json
//
// The reference encoder must be written first: `node dist/tools/prepare-reference-model.js`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../src/core/math/seededRandom';
import { topIndices } from '../src/core/math/probabilities';
import { KnnLabelPropagator } from '../src/core/suggest/knnLabelPropagator';
import { PartialLabelDistiller } from '../src/core/suggest/partialLabelDistiller';
import { DEFAULT_ACCEPT_PROBABILITY } from '../src/core/suggest/acceptSuggestions';
import type { LabelledPool, SoftLabels } from '../src/core/suggest/types';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';
import { repo } from './lib/mnistData';
import { cifarData, disposeEncoders, encoderSource, mnistData, type PhotoData } from './lib/photoData';
import type { VectorRows } from '../src/core/math/vectorRows';
import type { EmbeddedItem } from '../src/core/pool/rootPool';
import { suggestionItems } from '../src/core/suggest/suggestionReport';
import { trustSoftLabels, whitenPool } from '../src/core/suggest/trust/trustedSuggestions';
import type { NewClassModel } from '../src/core/suggest/trust/openSetCalibration';
import { featureSets, unknownScoreAurocs } from './lib/unknownScoreStudy';
import { BINS, trustFigures, type ReliabilityBin, type ScoredImage, type TrustFigures } from './lib/trustMetrics';

const RESULTS = join(repo, 'bench', 'results');
const KNOWN_IN_PARTIAL = 5;

type Scenario = 'all classes' | '5 of 10';
const SCENARIOS: Scenario[] = ['all classes', '5 of 10'];

interface Variant {
  name: string;
  /** Per unlabelled row of the pool (in order): the suggestion as the product would show it. */
  run(pool: LabelledPool, seed: number): Array<Omit<ScoredImage, 'truth'>>;
}

/** A method's soft labels as shown before any trust work: the top class and its probability. */
function rawScores(result: SoftLabels, pool: LabelledPool): Array<Omit<ScoredImage, 'truth'>> {
  const classes = result.classNames.length;
  const out: Array<Omit<ScoredImage, 'truth'>> = [];
  for (let row = 0; row < pool.labels.length; row++) {
    if (pool.labels[row] >= 0) continue;
    const p = result.probabilities.subarray(row * classes, (row + 1) * classes);
    const top = topIndices(p, 1)[0];
    // No unknownScore before the trust step: 1 - top probability is the only signal there is.
    out.push({ top, p: p[top], unknownScore: 1 - p[top] });
  }
  return out;
}

/** The pool's whitened rows, once per pool (label-free, so the same for every scenario and seed). */
const whitenedPools = new WeakMap<VectorRows, VectorRows>();
function whitened(pool: LabelledPool): VectorRows {
  let rows = whitenedPools.get(pool.features);
  if (!rows) whitenedPools.set(pool.features, (rows = whitenPool(pool)));
  return rows;
}

/** What the product shows after the trust step: the method's candidates with calibrated probabilities. */
function trustedScores(result: SoftLabels, pool: LabelledPool, seed: number, newClassModel?: NewClassModel): Array<Omit<ScoredImage, 'truth'>> {
  const trusted = trustSoftLabels(pool, result, { seed, whitened: whitened(pool), newClassModel });
  const items = suggestionItems(pool.labels.reduce<EmbeddedItem[]>((all, label, row) => [...all, { path: String(row), hash: '', label: label >= 0 ? pool.classNames[label] : null }], []), trusted);
  const out: Array<Omit<ScoredImage, 'truth'>> = [];
  items.forEach((item) => {
    if (item.label !== null) return;
    const top = item.suggestions[0];
    out.push({ top: pool.classNames.indexOf(top.label), p: top.p, unknownScore: item.unknownScore, unknownClass: item.unknownClass });
  });
  return out;
}

const ONLY_VARIANTS = benchFlag('variants', '');
const ALL_VARIANTS: Variant[] = [
  { name: 'pll (partial-label distillation, the default method)', run: (pool, seed) => rawScores(new PartialLabelDistiller({ seed }).run(pool), pool) },
  { name: 'knn (k-nearest neighbours)', run: (pool) => rawScores(new KnnLabelPropagator().run(pool), pool) },
  { name: 'pll + calibration and unknown classes (shipped)', run: (pool, seed) => trustedScores(new PartialLabelDistiller({ seed }).run(pool), pool, seed) },
  { name: 'knn + calibration and unknown classes', run: (pool, seed) => trustedScores(new KnnLabelPropagator().run(pool), pool, seed) },
  { name: 'knn + calibration, new classes from the p-value tail (before)', run: (pool, seed) => trustedScores(new KnnLabelPropagator().run(pool), pool, seed, 'p-value tail') },
];
const VARIANTS = ONLY_VARIANTS ? ALL_VARIANTS.filter((v) => ONLY_VARIANTS.split(',').some((part) => v.name.startsWith(part))) : ALL_VARIANTS;

interface RunRow {
  dataset: string;
  encoder: string;
  modelId: string;
  scenario: Scenario;
  variant: string;
  seed: number;
  figures: TrustFigures;
}

/** The labelled rows of one seed: `perClass` random pool images of each known class. */
function labelledPool(data: PhotoData, scenario: Scenario, perClass: number, seed: number): { pool: LabelledPool; truth: Int32Array } {
  const known = scenario === 'all classes' ? data.classNames.length : KNOWN_IN_PARTIAL;
  const random = new SeededRandom(seed);
  const labels = new Int32Array(data.pool.truth.length).fill(-1);
  for (let c = 0; c < known; c++) {
    const rows = [...data.pool.truth.keys()].filter((row) => data.pool.truth[row] === c);
    for (const i of random.permutation(rows.length).slice(0, perClass)) labels[rows[i]] = c;
  }
  // Truth as the run sees it: classes without labels are -1 (no right answer among the suggestions).
  const truth = Int32Array.from(data.pool.truth, (c) => (c < known ? c : -1));
  return { pool: { features: data.pool.features, labels, classNames: data.classNames.slice(0, known) }, truth };
}

async function measure(): Promise<void> {
  const encoders = benchFlag('encoders', 'default,reference').split(',');
  const seeds = Number(benchFlag('seeds', '3'));
  const perClass = Number(benchFlag('per-class', '20'));
  const datasets = benchFlag('datasets', 'cifar10-dev,MNIST').split(',');
  const threshold = DEFAULT_ACCEPT_PROBABILITY;
  const started = performance.now();
  const rows: RunRow[] = [];
  const pooledBins = new Map<string, ScoredImage[]>();
  const unknownScores: TrustReport['unknownScores'] = [];
  for (const dataset of datasets) {
    for (const encoder of encoders) {
      const source = encoderSource(encoder);
      const data = dataset === 'MNIST' ? await mnistData(source) : await cifarData(source);
      const sets = featureSets(data.pool.features);
      for (let seed = 0; seed < seeds; seed++) {
        const { pool, truth } = labelledPool(data, '5 of 10', perClass, seed);
        unknownScores.push({ dataset, encoder, seed, aurocs: unknownScoreAurocs(sets, pool, (row) => truth[row] < 0, seed) });
      }
      for (const scenario of SCENARIOS) {
        for (const variant of VARIANTS) {
          for (let seed = 0; seed < seeds; seed++) {
            const { pool, truth } = labelledPool(data, scenario, perClass, seed);
            const shown = variant.run(pool, seed);
            const unlabelledTruth = [...truth].filter((_, row) => pool.labels[row] < 0);
            const images = shown.map((image, i) => ({ ...image, truth: unlabelledTruth[i] }));
            const figures = trustFigures(images, threshold);
            rows.push({ dataset, encoder, modelId: data.modelId, scenario, variant: variant.name, seed, figures });
            const key = [dataset, encoder, scenario, variant.name].join('|');
            pooledBins.set(key, [...(pooledBins.get(key) ?? []), ...images]);
            process.stderr.write(`${dataset} ${encoder} ${scenario} ${variant.name} seed ${seed}: took ${figures.taken} (${figures.wrong} wrong, ${figures.unknownTaken} unknown), ECE ${figures.ece.toFixed(3)}\n`);
          }
        }
      }
      await save();
    }
  }
  await disposeEncoders();
  process.stdout.write(markdown(await save()));

  /** Writes what is measured so far (after each encoder too, so a stopped run keeps its finished parts). */
  async function save(): Promise<TrustReport> {
    const bins = Object.fromEntries([...pooledBins].map(([key, images]) => [key, trustFigures(images, threshold).bins]));
    const report: TrustReport = {
      date: new Date().toISOString(),
      machine: machineDescription(),
      minutes: (performance.now() - started) / 60000,
      command: `npm run bench:trust -- ${process.argv.slice(2).join(' ')}`.trim(),
      threshold,
      perClass,
      seeds,
      rows,
      bins,
      unknownScores,
    };
    await writeBenchResults(RESULTS, 'trust', report, markdown(report));
    return report;
  }
}

interface TrustReport {
  date: string;
  machine: string;
  minutes: number;
  command: string;
  threshold: number;
  perClass: number;
  seeds: number;
  rows: RunRow[];
  /** Reliability bins over all seeds, by "dataset|encoder|scenario|variant". */
  bins: Record<string, ReliabilityBin[]>;
  /** "5 of 10": AUROC of each candidate unknown score, by "features|score". */
  unknownScores: Array<{ dataset: string; encoder: string; seed: number; aurocs: Record<string, number> }>;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const sd = (values: number[]): number => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
const pct = (values: number[]): string => (values.some((v) => Number.isNaN(v)) ? `${fmt(values.filter((v) => !Number.isNaN(v)).map((v) => v * 100), 1)} (${values.filter((v) => Number.isNaN(v)).length} took none)` : fmt(values.map((v) => v * 100), 1));
const fmt = (values: number[], digits: number): string => (values.length === 0 ? 'n/a' : `${mean(values).toFixed(digits)} ± ${sd(values).toFixed(digits)}`);

function markdown(report: TrustReport): string {
  const groups = new Map<string, RunRow[]>();
  for (const row of report.rows) {
    const key = [row.dataset, row.encoder, row.scenario, row.variant].join('|');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const table = (rows: RunRow[][]): string[] => [
    '| dataset | encoder | scenario | method | Accept sure precision % | coverage % | taken | wrong labels | unknown-class images taken % | ECE | unknownScore AUROC | marked unknownClass (precision %) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((runs) => {
      const f = runs.map((run) => run.figures);
      const first = runs[0];
      const auroc = f.every((x) => x.unknownAuroc !== null) ? fmt(f.map((x) => x.unknownAuroc!), 3) : 'n/a';
      const marked = f.some((x) => x.markedUnknown > 0) ? `${mean(f.map((x) => x.markedUnknown)).toFixed(0)} (${fmt(f.filter((x) => x.markedUnknownPrecision !== null).map((x) => x.markedUnknownPrecision! * 100), 1)})` : '0';
      return `| ${first.dataset} | ${first.encoder} (\`${first.modelId}\`) | ${first.scenario} | ${first.variant} | ${pct(f.map((x) => x.precision))} | ${fmt(f.map((x) => x.coverage * 100), 2)} | ${fmt(f.map((x) => x.taken), 1)} | ${fmt(f.map((x) => x.wrong), 1)} | ${first.scenario === 'all classes' ? '—' : fmt(f.map((x) => x.unknownTakenShare * 100), 2)} | ${fmt(f.map((x) => x.ece), 3)} | ${auroc} | ${marked} |`;
    }),
  ];
  const reliability = [...Object.entries(report.bins)].map(([key, bins]) => {
    const cells = bins.map((bin) => (bin.count === 0 ? '—' : `${(bin.accuracy * 100).toFixed(0)}% of ${bin.count}`));
    return `| ${key.split('|').join(' | ')} | ${cells.join(' | ')} |`;
  });
  const candidates = [...new Set(report.unknownScores.flatMap((row) => Object.keys(row.aurocs)))];
  const encodersSeen = [...new Set(report.unknownScores.map((row) => `${row.dataset}|${row.encoder}`))];
  const candidateTable = [
    `| features | score | ${encodersSeen.map((key) => key.replace('|', ', ')).join(' | ')} |`,
    `|---|---|${'---|'.repeat(encodersSeen.length)}`,
    ...candidates.map((candidate) => {
      const cells = encodersSeen.map((key) => fmt(report.unknownScores.filter((row) => `${row.dataset}|${row.encoder}` === key).map((row) => row.aurocs[candidate]), 3));
      return `| ${candidate.split('|').join(' | ')} | ${cells.join(' | ')} |`;
    }),
  ];
  return [
    '# Trust benchmark: Accept sure, calibration, unknown classes',
    '',
    `Measured ${report.date} on ${report.machine}, in ${report.minutes.toFixed(1)} min (the machine was shared with other work). Command: \`${report.command}\` (after \`npm run build\` and \`node dist/tools/prepare-reference-model.js\`).`,
    '',
    `Pool: cifar10-dev's 5,000 pool photographs (MNIST: 500 digits per class from the \`mnist\` npm package). Labelled: ${report.perClass} random pool images per labelled class (seeded); every other pool image is unlabelled and gets a suggestion. ` +
      `"5 of 10": only the first 5 classes (cifar10-dev: airplane, automobile, bird, cat, deer; MNIST: 0-4) have labels, so half the unlabelled images belong to classes without labels (their cousins: ship, truck, frog, dog, horse), and any label written for them is wrong. ` +
      `Accept sure takes an unlabelled image when its shown top probability is at least ${report.threshold} and it is not marked unknownClass. Mean ± standard deviation over ${report.seeds} seeds (label draw and training).`,
    '',
    ...table([...groups.values()]),
    '',
    'For the methods without the trust step, the unknownScore column is the AUROC of 1 − top probability, the only signal they give. ' +
      'Marked unknownClass: mean number of unlabelled images marked per run, and the share of them whose class really has no labels. ' +
      'After the trust step the method only picks which classes are listed (its top 3); the numbers, and so what Accept sure takes, come from the calibration, ' +
      'which is why pll and knn give nearly the same rows then. "pll" and "knn" without it are the code before the trust step (their probabilities as shown and used until then). ' +
      '"New classes from the p-value tail (before)" is the first version of the trust step: it estimated the share of new-class images from the p-values above 1/2 alone (Storey), so the new-class images that look typical counted as known; ' +
      'the shipped step fits that share with the p-value density of simulated new classes (each labelled class in turn held out), see src/core/suggest/trust/openSetCalibration.ts.',
    '',
    '## Which unknown score',
    '',
    `"5 of 10", AUROC of telling unlabelled images of classes without labels from those of labelled classes, mean ± sd over ${report.seeds} seeds. ` +
      'Cosines to class prototypes built out-of-fold (5 folds) from the labelled images; standardised: minus the class\'s mean held-out cosine, over its spread; energy: log-sum-exp of the prototype logits at the cross-validated temperature.',
    '',
    ...candidateTable,
    '',
    '## Reliability per bin (all seeds together)',
    '',
    'Share right among the unlabelled images whose shown top probability falls in each bin, and how many there are. A calibrated probability has about 5% right in 0.0-0.1 ... about 95% in 0.9-1.0.',
    '',
    `| dataset | encoder | scenario | method | ${Array.from({ length: BINS }, (_, b) => `${(b / BINS).toFixed(1)}-${((b + 1) / BINS).toFixed(1)}`).join(' | ')} |`,
    `|---|---|---|---|${'---|'.repeat(BINS)}`,
    ...reliability,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (benchFlag('only', '') === 'markdown') {
    const file = join(RESULTS, 'trust.json');
    if (!existsSync(file)) throw new Error(`${file} is missing: run the benchmark first.`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as TrustReport;
    await writeBenchResults(RESULTS, 'trust', report, markdown(report));
    return;
  }
  await measure();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
