// Label efficiency of the selection methods on real digits, and their speed on a 100k pool.
//
//   npm run bench:selection [-- --seeds 1,2,3 --budgets 20,50,100,200 --patterns 1,3 --pool 1000 --test 2000]
//   node dist/bench/selection.js --prepare-only      (write and embed the digits, then stop)
//   node dist/bench/selection.js --timing-only       (only the synthetic 100,000-image timing)
//   node dist/bench/selection.js --methods random,freesel --no-timing --out-suffix -quick
//   node dist/bench/selection.js --dims 256,64 --no-timing   (also pick in randomly projected spaces)
//
// MNIST digits split into an unlabelled pool and a labelled test split (bench/lib/mnistSplits.ts).
// Each method picks `budget` images from the pool; a linear probe (softmax regression, zero init,
// fixed full-batch Adam steps: deterministic) is trained on the picks' embeddings with their true
// labels and scored on the test split. Label-needing methods start from 10 random labelled pool
// images and reach the budget in up to 3 rounds. Writes bench/results/selection.{md,json}.
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { FreeSelSelector } from '../src/core/select/freeSelSelector';
import { JsMatrixKernels } from '../src/core/select/kernels/jsKernels';
import type { MatrixKernels } from '../src/core/math/matrixKernels';
import { OnnxMatrixKernels } from '../src/core/select/kernels/onnxKernels';
import { SeededRandom } from '../src/core/math/seededRandom';
import { selectorFor } from '../src/core/select/selectors';
import { DEFAULT_PATTERN_COUNT } from '../src/core/select/semanticPatterns';
import type { PatternSets, SelectionPool, Selector } from '../src/core/select/types';
import { columnMean, pickRows } from '../src/core/math/vectorRows';
import { poolWithLabelled, subsetPatterns } from './lib/pickInRounds';
import { CLASSES, embedSplit, type Embedded, prepareDigits } from './lib/mnistSplits';
import { projectRows, randomProjection } from './lib/randomProjection';
import { syntheticRows } from './lib/syntheticRows';
import { probeAccuracy } from './lib/labelEfficiency';
import { machineDescription, writeBenchResults } from './lib/benchSupport';

const repo = join(__dirname, '..', '..');
const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const numbers = (text: string): number[] => text.split(',').map(Number);
const INITIAL_LABELS = 10;
const MAX_ROUNDS = 3;

/**
 * Methods in table order; `freesel-ff` is FreeSel's farthest-first variant, `freesel-kN` FreeSel
 * on K = N patterns, `method@D` the method picking in a D-wide random projection of the
 * embeddings and patterns (the probe still trains on the full embeddings of the picks).
 */
type MethodKey = string;

async function main(): Promise<void> {
  const seeds = numbers(flag('seeds', '1,2,3'));
  const budgets = numbers(flag('budgets', '20,50,100,200'));
  const patternCounts = numbers(flag('patterns', `${DEFAULT_PATTERN_COUNT},3`));
  const poolSize = Number(flag('pool', '1000'));
  const testSize = Number(flag('test', '2000'));
  const timingSize = Number(flag('timing-pool', '100000'));
  const timingBudget = Number(flag('timing-budget', '1000'));
  const command = `node dist/bench/selection.js ${process.argv.slice(2).join(' ')}`.trim();

  const kernelsDir = join(repo, 'dist', 'models', 'kernels');
  const kernels = await OnnxMatrixKernels.open(kernelsDir);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    command,
  };

  if (!process.argv.includes('--timing-only')) {
    const { pool, test } = await prepareDigits(repo, poolSize, testSize);
    const poolData = await embedSplit(repo, pool, patternCounts);
    const testData = await embedSplit(repo, test, []);
    results.modelId = poolData.modelId;
    if (process.argv.includes('--prepare-only')) return;
    const only = flag('methods', '');
    const dims = flag('dims', '') ? numbers(flag('dims', '')) : [];
    const reducedKeys = dims.flatMap((d) => ['freesel', 'kcenter'].map((m) => `${m}@${d}`));
    const methods = [...methodList(patternCounts), ...reducedKeys].filter((m) => !only || only.split(',').includes(m));
    const accuracy = await labelEfficiency(methods, poolData, testData, budgets, seeds, kernels);
    results.labelEfficiency = { poolSize, testSize, seeds, budgets, initialLabels: INITIAL_LABELS, rounds: MAX_ROUNDS, dims, accuracy };
  }
  if (!process.argv.includes('--no-timing')) {
    results.timing = await timing(timingSize, timingBudget, kernels);
    // Speed on a shared machine depends on what else runs: the file says how busy it was.
    results.loadAverage = loadavg().map((value) => value.toFixed(2)).join(' / ');
  }
  await kernels.dispose();
  await writeResults(results);
}

function methodList(patternCounts: number[]): MethodKey[] {
  const extraK = patternCounts.filter((k) => k !== DEFAULT_PATTERN_COUNT).map((k) => `freesel-k${k}`);
  return ['random', 'typiclust', 'probcover', 'freesel', 'freesel-ff', ...extraK, 'kcenter', 'lplgrad', 'entropy', 'margin', 'least-confidence'];
}

function selectorForKey(key: MethodKey): { selector: Selector; patternCount: number; needsLabels: boolean } {
  if (key === 'freesel-ff') return { selector: new FreeSelSelector('farthest-first'), patternCount: DEFAULT_PATTERN_COUNT, needsLabels: false };
  const k = /^freesel-k(\d+)$/.exec(key);
  if (k) return { selector: new FreeSelSelector('d2-sampling'), patternCount: Number(k[1]), needsLabels: false };
  const method = key as Parameters<typeof selectorFor>[0];
  return { selector: selectorFor(method), patternCount: DEFAULT_PATTERN_COUNT, needsLabels: ['lplgrad', 'entropy', 'margin', 'least-confidence'].includes(method) };
}

// ---------------------------------------------------------------------------------------------
// Label efficiency.

/** Picks `budget` pool indices with one method: label-free ones in one go, the others in rounds from a random seed set. */
async function pickWithMethod(fullKey: MethodKey, full: Embedded, budget: number, seed: number, kernels: MatrixKernels): Promise<number[]> {
  const [key, reducedWidth] = fullKey.split('@');
  const data = reducedWidth ? reducedCopy(full, Number(reducedWidth)) : full;
  const { selector, patternCount, needsLabels } = selectorForKey(key);
  const n = data.rows.rows;
  const labelled: number[] = needsLabels ? new SeededRandom(seed * 7919 + budget).permutation(n).slice(0, Math.min(INITIAL_LABELS, budget)) : [];
  const rounds = needsLabels ? Math.min(MAX_ROUNDS, budget - labelled.length) : 1;
  for (let round = 0; round < rounds; round++) {
    const remainingRounds = rounds - round;
    const step = Math.ceil((budget - labelled.length) / remainingRounds);
    if (step <= 0) break;
    const { pool, candidates } = poolWithLabelled(data, labelled, Array.from({ length: CLASSES }, (_, c) => String(c)));
    if (key.startsWith('freesel')) {
      const sets = data.patterns.get(patternCount)!;
      pool.unlabelledPatterns = subsetPatterns(sets, candidates);
      pool.labelledPatterns = subsetPatterns(sets, labelled);
    }
    const picks = await selector.select(pool, { budget: step, seed: seed * 1000 + round, kernels });
    for (const pick of picks) labelled.push(candidates[pick.index]);
  }
  return labelled;
}

const reducedCopies = new Map<string, Embedded>();

/** The pool's embeddings and patterns projected to `width` dimensions (one projection per width, seeded). */
function reducedCopy(data: Embedded, width: number): Embedded {
  const key = `${width}`;
  let copy = reducedCopies.get(key);
  if (!copy) {
    const projection = randomProjection(data.rows.width, width, 4242 + width);
    const patterns = new Map<number, PatternSets>();
    for (const [k, sets] of data.patterns) patterns.set(k, { vectors: projectRows(sets.vectors, projection), offsets: sets.offsets });
    copy = { rows: projectRows(data.rows, projection), labels: data.labels, patterns, modelId: data.modelId };
    reducedCopies.set(key, copy);
  }
  return copy;
}

async function labelEfficiency(methods: MethodKey[], pool: Embedded, test: Embedded, budgets: number[], seeds: number[], kernels: MatrixKernels) {
  const mean = columnMean([pool.rows], pool.rows.width);
  const accuracy: Record<MethodKey, Record<number, number[]>> = {};
  for (const key of methods) {
    accuracy[key] = {};
    for (const budget of budgets) {
      accuracy[key][budget] = [];
      for (const seed of seeds) {
        const started = performance.now();
        const picks = await pickWithMethod(key, pool, budget, seed, kernels);
        const acc = probeAccuracy(pickRows(pool.rows, picks), Int32Array.from(picks, (i) => pool.labels[i]), test, mean);
        accuracy[key][budget].push(acc);
        process.stderr.write(`${key} B=${budget} seed=${seed}: ${(100 * acc).toFixed(1)}% (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      }
    }
  }
  return accuracy;
}

// ---------------------------------------------------------------------------------------------
// Speed on a synthetic pool.

async function timing(items: number, budget: number, onnx: MatrixKernels) {
  const width = 1280;
  const js = new JsMatrixKernels();
  const out: Record<string, unknown> = { items, width, budget, patternsPerImage: DEFAULT_PATTERN_COUNT };

  // The kernels alone: one refresh-sized distance update and one head-sized dense layer over the pool.
  const embeddings = syntheticRows(items, 1, width, 5);
  const queries = embeddings.data.slice(0, 32 * width);
  const current = new Float32Array(items).fill(3);
  const kernelRows = Math.min(items, 20000);
  const kernelTimes: Record<string, number> = {};
  for (const [name, kernels] of [['onnxruntime', onnx], ['js', js]] as const) {
    // Warm-up: onnxruntime plans its buffers on the first run of a shape.
    await kernels.minCosineDistance(embeddings.data, 64, width, queries, 32, current);
    await kernels.gemm(embeddings.data, 64, width, embeddings.data.subarray(0, width * 40), 40, new Float32Array(40));
    let t = performance.now();
    await kernels.minCosineDistance(embeddings.data, kernelRows, width, queries, 32, current);
    kernelTimes[`${name} distance GFLOP/s`] = (2 * kernelRows * 32 * width) / ((performance.now() - t) / 1000) / 1e9;
    t = performance.now();
    await kernels.gemm(embeddings.data, kernelRows, width, embeddings.data.subarray(0, width * 40), 40, new Float32Array(40));
    kernelTimes[`${name} gemm GFLOP/s`] = (2 * kernelRows * 40 * width) / ((performance.now() - t) / 1000) / 1e9;
  }
  out.kernels = kernelTimes;
  process.stderr.write(`kernels on ${kernelRows} x ${width}: ${JSON.stringify(kernelTimes)}\n`);

  const labelledCount = 1000;
  const labelled = syntheticRows(labelledCount, 1, width, 6);
  const labels = Int32Array.from({ length: labelledCount }, (_, i) => i % CLASSES);
  const seconds: Record<string, number> = {};
  const gflops: Record<string, number> = {};
  const base: SelectionPool = { unlabelled: embeddings, labelled: { data: new Float32Array(0), rows: 0, width }, labels: new Int32Array(0), classNames: [] };
  for (const key of ['random', 'typiclust', 'probcover', 'kcenter', 'lplgrad', 'entropy', 'margin', 'least-confidence', 'freesel', 'freesel-k3']) {
    const pool: SelectionPool = ['lplgrad', 'entropy', 'margin', 'least-confidence'].includes(key)
      ? { ...base, labelled, labels, classNames: Array.from({ length: CLASSES }, (_, c) => String(c)) }
      : { ...base };
    let rowsPerItem = 1;
    if (key.startsWith('freesel')) {
      rowsPerItem = key === 'freesel-k3' ? 3 : DEFAULT_PATTERN_COUNT;
      const vectors = syntheticRows(items, rowsPerItem, width, 7);
      pool.unlabelledPatterns = { vectors, offsets: Int32Array.from({ length: items + 1 }, (_, i) => i * rowsPerItem) };
    }
    const started = performance.now();
    const selector = key.startsWith('freesel') ? new FreeSelSelector('d2-sampling') : selectorFor(key as Parameters<typeof selectorFor>[0]);
    const picks = await selector.select(pool, { budget, seed: 1, kernels: onnx });
    const s = (performance.now() - started) / 1000;
    seconds[key] = s;
    if (key.startsWith('freesel') || key === 'kcenter') {
      // Every picked pattern is compared with every pool pattern once (2 flops per multiply-add).
      gflops[key] = (2 * picks.length * rowsPerItem * items * rowsPerItem * width) / s / 1e9;
    }
    process.stderr.write(`${key}: ${picks.length} picks from ${items} in ${s.toFixed(2)} s\n`);
    delete pool.unlabelledPatterns;
  }
  out.seconds = seconds;
  out.effectiveGflops = gflops;
  out.labelledForLabelMethods = labelledCount;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output.

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

async function writeResults(results: Record<string, unknown>): Promise<void> {
  const lines = ['# Selection benchmark', '', `Measured ${results.date} on ${results.machine}.${results.modelId ? ` Model \`${String(results.modelId)}\`.` : ''}${results.loadAverage ? ` Load average (1 / 5 / 15 min) at the end ${String(results.loadAverage)}.` : ''}`, `Command: \`${results.command}\` (after \`npm run build\`).`, ''];
  const le = results.labelEfficiency as { poolSize: number; testSize: number; seeds: number[]; budgets: number[]; accuracy: Record<string, Record<number, number[]>> } | undefined;
  if (le) {
    lines.push(
      `## Label efficiency on MNIST`,
      '',
      `Pool ${le.poolSize} digits (unlabelled), test ${le.testSize} digits, seeds ${le.seeds.join(', ')}. Test accuracy (%) of a linear probe trained on the picked images, mean ± std over seeds. ` +
        `Label-needing methods start from ${INITIAL_LABELS} random labels and reach the budget in up to ${MAX_ROUNDS} rounds. ` +
        `"method@D": the method picks in a seeded D-wide Gaussian random projection of the embeddings and patterns; the probe still trains on the full embeddings. ` +
        `"<" marks a mean below random's at that budget, "=" within one random std.`,
      '',
      `| method | ${le.budgets.map((b) => `B=${b}`).join(' | ')} |`,
      `|---|${le.budgets.map(() => '---').join('|')}|`,
    );
    const random = le.accuracy.random;
    for (const [method, byBudget] of Object.entries(le.accuracy)) {
      const cells = le.budgets.map((b) => {
        const { mean, std } = meanStd(byBudget[b]);
        const r = random ? meanStd(random[b]) : undefined;
        const mark = method === 'random' || !r ? '' : mean < r.mean - r.std ? ' <' : mean <= r.mean + r.std ? ' =' : '';
        return `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}${mark}`;
      });
      lines.push(`| ${method} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const t = results.timing as { items: number; width: number; budget: number; patternsPerImage: number; seconds: Record<string, number>; effectiveGflops: Record<string, number>; kernels: Record<string, number>; labelledForLabelMethods: number } | undefined;
  if (t) {
    lines.push(
      `## Speed on a synthetic pool`,
      '',
      `${t.items.toLocaleString('en')} embeddings of ${t.width} floats, B = ${t.budget}, ONNX kernels on CPU; FreeSel with ${t.patternsPerImage} synthetic patterns per image (freesel-k3: three); ` +
        `label methods train on ${t.labelledForLabelMethods} labelled embeddings. Effective GFLOP/s counts 2 flops per pattern pair compared.`,
      '',
      '| method | seconds | effective GFLOP/s |',
      '|---|---|---|',
      ...Object.entries(t.seconds).map(([m, s]) => `| ${m} | ${s.toFixed(2)} | ${t.effectiveGflops[m] ? t.effectiveGflops[m].toFixed(1) : ''} |`),
      '',
      'Kernels alone, after one warm-up call (20,000 rows x 1280, 32 query rows / 40 output columns):',
      '',
      '| kernel | GFLOP/s |',
      '|---|---|',
      ...Object.entries(t.kernels).map(([k, v]) => `| ${k.replace(' GFLOP/s', '')} | ${v.toFixed(1)} |`),
      '',
    );
  }
  await writeBenchResults(join(repo, 'bench', 'results'), `selection${flag('out-suffix', '')}`, results, lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
