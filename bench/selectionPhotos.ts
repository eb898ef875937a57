// Label efficiency of the selection methods on real photographs (../shared/data/cifar10-dev),
// for any encoder: the bundled default and the reference ImageNet MobileNetV2 by default.
//
//   npm run bench:selection-photos [-- --encoders default,reference --budgets 10,20,50,100,200 --seeds 1,2,3]
//   node dist/bench/selectionPhotos.js --prepare-only            (embed the dev set, then stop)
//   node dist/bench/selectionPhotos.js --methods random,typiclust --encoders reference --out-suffix -quick
//
// `reference` is .scratch/models/reference/model.json (node dist/tools/prepare-reference-model.js);
// any other entry is `default` or an absolute model.json path. The dev set is embedded once per
// encoder through embedDataset into .scratch/selection-photos/ (content-hash cache) and reused.
// Each method picks `budget` pool images (the pool's class folders are hidden from it); a linear
// probe and a 1-NN rule are trained on the picks' embeddings with their true classes and scored
// on test/. Label-free methods pick in one go. Label-needing methods (lplgrad, entropy, margin)
// start from a TypiClust selection of INITIAL_LABELS images and reach the budget in up to 3
// rounds; `auto` runs the same rounds, choosing its method each round from the labels it has.
// Writes bench/results/selection-photos.{md,json}.
//
// `--dataset mnist` runs the same protocol on MNIST digits (bench/lib/mnistSplits.ts: the pool and
// test split of bench/selection.ts, `--pool 1000 --test 2000`, bundled encoder only) and writes
// bench/results/selection-mnist-rounds.{md,json}:
//   node dist/bench/selectionPhotos.js --dataset mnist --methods random,typiclust,lplgrad,margin,auto
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { OnnxMatrixKernels } from '../src/core/select/kernels/onnxKernels';
import type { MatrixKernels } from '../src/core/math/matrixKernels';
import { columnMean } from '../src/core/math/vectorRows';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';
import { embedDevSet, type EmbeddedDevSet } from './lib/photoDevSet';
import { embedMnistDevSet } from './lib/mnistSplits';
import { nearestPickAccuracy, probeAccuracy } from './lib/labelEfficiency';
import { pickInRounds, type RoundLog, ROUND_METHODS } from './lib/pickInRounds';

const repo = join(__dirname, '..', '..');
const work = join(repo, '.scratch', 'selection-photos');
const numbers = (text: string): number[] => text.split(',').map(Number);

const DEFAULT_METHODS = ['random', 'typiclust', 'typiclust-in-cluster', 'typiclust-over-pool', 'typiclust-full', 'probcover', 'freesel', 'freesel-ff', 'freesel-k3', 'kcenter', 'lplgrad', 'entropy', 'margin', 'auto'];

interface Scores {
  probe: Record<number, number[]>;
  nearest: Record<number, number[]>;
}

async function main(): Promise<void> {
  const seeds = numbers(benchFlag('seeds', '1,2,3'));
  const budgets = numbers(benchFlag('budgets', '10,20,50,100,200'));
  const mnist = benchFlag('dataset', 'cifar10-dev') === 'mnist';
  // The digits are embedded by the bundled encoder only (the loader bench/selection.ts shares).
  const encoders = mnist ? ['default'] : benchFlag('encoders', 'default,reference').split(',');
  const patternCounts = numbers(benchFlag('patterns', '1,3'));
  const only = benchFlag('methods', '');
  const methods = only ? only.split(',') : DEFAULT_METHODS;
  const dataRoot = benchFlag('data', join(repo, '..', 'shared', 'data', 'cifar10-dev'));
  const command = `node dist/bench/selectionPhotos.js ${process.argv.slice(2).join(' ')}`.trim();
  const kernels = await OnnxMatrixKernels.open(join(repo, 'dist', 'models', 'kernels'));
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: machineDescription(), command, dataset: mnist ? 'mnist' : 'cifar10-dev', seeds, budgets, byEncoder: {} };
  const byEncoder = results.byEncoder as Record<string, unknown>;
  for (const encoder of encoders) {
    const setting = encoder === 'reference' ? join(repo, '.scratch', 'models', 'reference', 'model.json') : encoder;
    const data = mnist
      ? await embedMnistDevSet(repo, Number(benchFlag('pool', '1000')), Number(benchFlag('test', '2000')), patternCounts)
      : await embedDevSet(dataRoot, setting, repo, work, patternCounts);
    if (process.argv.includes('--prepare-only')) continue;
    const rounds: Record<string, RoundLog[]> = {};
    const scores = await labelEfficiency(methods.filter((m) => data.hasFeatureMap || !/^freesel-k(?!1$)/.test(m)), data, budgets, seeds, kernels, rounds);
    byEncoder[encoder] = { modelId: data.modelId, pool: data.pool.rows.rows, test: data.test.rows.rows, width: data.pool.rows.width, hasFeatureMap: data.hasFeatureMap, scores, rounds };
  }
  await kernels.dispose();
  // The machine is shared: the file says how busy it was when the run ended.
  results.loadAverage = loadavg().map((v) => v.toFixed(2)).join(' / ');
  if (!process.argv.includes('--prepare-only')) await writeResults(results);
}

async function labelEfficiency(methods: string[], data: EmbeddedDevSet, budgets: number[], seeds: number[], kernels: MatrixKernels, rounds: Record<string, RoundLog[]>): Promise<Record<string, Scores>> {
  const mean = columnMean([data.pool.rows], data.pool.rows.width);
  const out: Record<string, Scores> = {};
  for (const method of methods) {
    out[method] = { probe: {}, nearest: {} };
    for (const budget of budgets) {
      out[method].probe[budget] = [];
      out[method].nearest[budget] = [];
      for (const seed of seeds) {
        const started = performance.now();
        const { picks, log } = await pickInRounds(method, data.pool, data.classNames, budget, seed, kernels);
        if (log.length > 0) (rounds[method] ??= []).push(...log);
        const train = { data: new Float32Array(picks.length * data.pool.rows.width), rows: picks.length, width: data.pool.rows.width };
        picks.forEach((p, i) => train.data.set(data.pool.rows.data.subarray(p * train.width, (p + 1) * train.width), i * train.width));
        const labels = Int32Array.from(picks, (p) => data.pool.labels[p]);
        const probe = probeAccuracy(train, labels, data.test, mean);
        const nearest = nearestPickAccuracy(train, labels, data.test, mean);
        out[method].probe[budget].push(probe);
        out[method].nearest[budget].push(nearest);
        process.stderr.write(
          `${data.modelId} ${method} B=${budget} seed=${seed}: probe ${(100 * probe).toFixed(1)}%, 1-NN ${(100 * nearest).toFixed(1)}% (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
        );
      }
    }
  }
  return out;
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

function table(scores: Record<string, Scores>, budgets: number[], which: keyof Scores): string[] {
  const lines = [`| method | ${budgets.map((b) => `B=${b}`).join(' | ')} |`, `|---|${budgets.map(() => '---').join('|')}|`];
  const random = scores.random?.[which];
  for (const [method, s] of Object.entries(scores)) {
    const cells = budgets.map((b) => {
      const { mean, std } = meanStd(s[which][b]);
      if (method === 'random' || !random) return `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}`;
      const gain = 100 * (mean - meanStd(random[b]).mean);
      return `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)} (${gain >= 0 ? '+' : ''}${gain.toFixed(1)})`;
    });
    lines.push(`| ${method} | ${cells.join(' | ')} |`);
  }
  return lines;
}

async function writeResults(results: Record<string, unknown>): Promise<void> {
  const budgets = results.budgets as number[];
  const seeds = results.seeds as number[];
  const mnist = results.dataset === 'mnist';
  const lines = [
    mnist ? '# Selection on MNIST digits, in rounds as on photographs' : '# Selection on photographs (cifar10-dev)',
    '',
    `Measured ${results.date} on ${results.machine} (shared with other work; load average ${results.loadAverage} at the end).`,
    `Command: \`${results.command}\` (after \`npm run build\`${mnist ? '' : ' and \`node dist/tools/prepare-reference-model.js\`'}).`,
    '',
    `Test accuracy (%) on ${mnist ? 'the separate test digits' : "the dev set's 1,000 test photographs"} of a linear probe and of 1-NN trained on the picked pool images with their true classes; ` +
      `mean ± std over seeds ${seeds.join(', ')}, gain over random in brackets (same seeds, same run). Label-free methods pick the whole budget at once; ` +
      `lplgrad, entropy and margin start from a TypiClust pick of ${INITIAL_LABELS_TEXT} images and add the rest in up to 3 rounds; auto runs the same rounds and chooses its method each round.`,
    '',
  ];
  for (const [encoder, e] of Object.entries(results.byEncoder as Record<string, { modelId: string; pool: number; test: number; width: number; hasFeatureMap: boolean; scores: Record<string, Scores> }>)) {
    lines.push(
      `## Encoder ${encoder}: \`${e.modelId}\``,
      '',
      `Pool ${e.pool} ${mnist ? 'digits' : 'photographs'}, test ${e.test}, ${e.width}-d embeddings${e.hasFeatureMap ? ', FreeSel patterns from its feature map' : ', no feature map: FreeSel uses the embedding as the single pattern'}.`,
      '',
      '### Linear probe',
      '',
      ...table(e.scores, budgets, 'probe'),
      '',
      '### 1-NN',
      '',
      ...table(e.scores, budgets, 'nearest'),
      '',
    );
  }
  const markdown = lines.join('\n');
  await writeBenchResults(join(repo, 'bench', 'results'), `${mnist ? 'selection-mnist-rounds' : 'selection-photos'}${benchFlag('out-suffix', '')}`, results, markdown);
  process.stdout.write(markdown + '\n');
}

const INITIAL_LABELS_TEXT = String(ROUND_METHODS.initialLabels);

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
