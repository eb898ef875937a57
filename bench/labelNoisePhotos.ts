// Label issues on real photographs: the label-noise study of bench:suggest (section 1) on
// ../shared/data/cifar10-dev, for any encoder (the bundled default and the reference ImageNet
// MobileNetV2). A share of the training labels (20% and 40%) is flipped to another class at random;
// the table gives the clean test accuracy of the partial-label distiller's teacher and student
// (PLL's claim: the student beats its teacher under noise) and the precision/recall of the issue
// flags against the flipped labels. Writes bench/results/label-noise-photos.{md,json}.
//
//   npm run bench:label-noise-photos [-- --encoders default,reference --seeds 1 --train-per-class 200]
import { join } from 'node:path';
import { DEFAULT_ISSUE_CONFIDENCE } from '../src/core/suggest/types';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';
import { labelNoiseExperiment, SHIPPED_MODEL, THRESHOLDS, type NoiseRow } from './lib/labelNoiseStudy';
import type { BenchData } from './lib/mnistData';
import { repo } from './lib/mnistData';
import { cifarData, disposeEncoders, encoderSource, type PhotoData } from './lib/photoData';

const NOISE = [0.2, 0.4];

/** `perClass` pool images of each class as the training split, cifar10-dev's test split as the test. */
function benchData(data: PhotoData, perClass: number): BenchData {
  const { width } = data.pool.features;
  const train = data.classNames.flatMap((_, c) => [...data.pool.truth.keys()].filter((row) => data.pool.truth[row] === c).slice(0, perClass));
  const rows = train.length + data.test.truth.length;
  const features = new Float32Array(rows * width);
  train.forEach((row, i) => features.set(data.pool.features.data.subarray(row * width, (row + 1) * width), i * width));
  features.set(data.test.features.data, train.length * width);
  const embedding = { data: features, rows, width };
  return {
    embedding,
    imagenet: embedding,
    truth: Int32Array.from([...train.map((row) => data.pool.truth[row]), ...data.test.truth]),
    isTest: Array.from({ length: rows }, (_, i) => i >= train.length),
    classNames: data.classNames,
    modelIds: [data.modelId],
  };
}

interface Row extends NoiseRow {
  encoder: string;
  modelId: string;
}

async function main(): Promise<void> {
  const encoders = benchFlag('encoders', 'default,reference').split(',');
  const seeds = Number(benchFlag('seeds', '1'));
  const perClass = Number(benchFlag('train-per-class', '200'));
  const started = performance.now();
  const rows: Row[] = [];
  for (const encoder of encoders) {
    const data = await cifarData(encoderSource(encoder));
    const bench = benchData(data, perClass);
    for (const noise of NOISE) for (let seed = 0; seed < seeds; seed++) rows.push({ encoder, modelId: data.modelId, ...labelNoiseExperiment(bench, noise, seed) });
  }
  await disposeEncoders();
  const report = { date: new Date().toISOString(), machine: machineDescription(), minutes: (performance.now() - started) / 60000, command: `npm run bench:label-noise-photos -- ${process.argv.slice(2).join(' ')}`.trim(), perClass, seeds, rows };
  const md = markdown(report);
  await writeBenchResults(join(repo, 'bench', 'results'), 'label-noise-photos', report, md);
  process.stdout.write(md);
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const pct = (values: number[]): string => (mean(values) * 100).toFixed(1);

function markdown(report: { date: string; machine: string; minutes: number; command: string; perClass: number; seeds: number; rows: Row[] }): string {
  const groups = new Map<string, Row[]>();
  for (const row of report.rows) groups.set(`${row.encoder}|${row.noise}`, [...(groups.get(`${row.encoder}|${row.noise}`) ?? []), row]);
  const at = THRESHOLDS.indexOf(DEFAULT_ISSUE_CONFIDENCE);
  const lines = [...groups.values()].map((rows) => {
    const r = rows[0];
    const flags = (key: 'pllFlags' | 'knnFlags') => `${pct(rows.map((x) => x[key][at].precision))} / ${pct(rows.map((x) => x[key][at].recall))} (${mean(rows.map((x) => x[key][at].flagged)).toFixed(0)})`;
    const teacher = mean(rows.map((x) => x.test.teacherConverged));
    const student = mean(rows.map((x) => x.test[SHIPPED_MODEL]));
    return `| ${r.encoder} (\`${r.modelId}\`) | ${(r.noise * 100).toFixed(0)}% | ${pct(rows.map((x) => x.test.teacherEarly))} | ${(teacher * 100).toFixed(1)} | ${(student * 100).toFixed(1)} | ${((student - teacher) * 100).toFixed(1)} | ${pct(rows.map((x) => x.knnAccuracy))} | ${flags('pllFlags')} | ${flags('knnFlags')} |`;
  });
  return [
    '# Label noise on photographs (cifar10-dev)',
    '',
    `Measured ${report.date} on ${report.machine}, in ${report.minutes.toFixed(1)} min (the machine was shared with other work). Command: \`${report.command}\` (after \`npm run build\` and \`node dist/tools/prepare-reference-model.js\`).`,
    '',
    `Training: the first ${report.perClass} pool photographs of each class (${report.perClass * 10}), a share of their labels flipped to another class drawn uniformly; test: cifar10-dev's 1,000 test photographs with their clean labels. ` +
      `Same study as bench:suggest section 1 (bench/lib/labelNoiseStudy.ts). Mean over ${report.seeds} seed(s). Flags: the given label is not in the out-of-fold teacher's top 2 and its top class has p ≥ ${DEFAULT_ISSUE_CONFIDENCE} (the default), precision / recall against the flipped labels in %, (number of flags).`,
    '',
    '| encoder | noise | teacher, 20 epochs % | teacher, converged % | student (shipped) % | student − teacher | k-NN % | flags, distiller | flags, k-NN |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
