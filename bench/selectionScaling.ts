// How selection time grows with the pool: FreeSel, k-center greedy and LPLgrad on synthetic
// pools of 10k, 100k and 1M embeddings, at the bundled model's width (1280) where the pool fits in
// memory and at a reduced width (256, a random projection's output) for every size.
//
//   npm run bench:selection-scaling [-- --sizes 10000,100000,1000000 --budget 1000 --full-width-max 100000]
//
// A 1M x 1280 float pool is 5.1 GB, and FreeSel keeps a pattern matrix of the same size next to it;
// that does not fit beside the rest of this machine's work, so 1M is measured at 256 floats only.
// What picking in a projected space costs in label efficiency on real digits is measured by
// `npm run bench:selection -- --dims 256,64` (bench/results/selection.md). Writes
// bench/results/selection-scaling.{md,json}.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { FreeSelSelector } from '../src/core/select/freeSelSelector';
import { OnnxMatrixKernels } from '../src/core/select/kernels/onnxKernels';
import { selectorFor } from '../src/core/select/selectors';
import type { SelectionPool, Selector } from '../src/core/select/types';
import { syntheticRows } from './lib/syntheticRows';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';

const repo = join(__dirname, '..', '..');
const CLASSES = 10;
const LABELLED = 1000;
const METHODS = ['freesel', 'kcenter', 'lplgrad'] as const;

interface Row {
  items: number;
  width: number;
  method: string;
  seconds: number;
  gflops?: number;
}

/** Read first thing, to say in the results how busy the machine was when the run began. */
const loadAtStart = loadavg()[0];

async function main(): Promise<void> {
  const sizes = benchFlag('sizes', '10000,100000,1000000').split(',').map(Number);
  const budget = Number(benchFlag('budget', '1000'));
  const fullWidthMax = Number(benchFlag('full-width-max', '100000'));
  const kernels = await OnnxMatrixKernels.open(join(repo, 'dist', 'models', 'kernels'));
  const rows: Row[] = [];
  try {
    for (const width of [1280, 256]) {
      for (const items of sizes) {
        if (width === 1280 && items > fullWidthMax) continue;
        const embeddings = syntheticRows(items, 1, width, 5);
        // FreeSel compares patterns; with one pattern per image it holds a second matrix of the pool's size.
        const patterns = syntheticRows(items, 1, width, 7);
        const labelled = syntheticRows(LABELLED, 1, width, 6);
        for (const method of METHODS) {
          const pool: SelectionPool = {
            unlabelled: embeddings,
            labelled: method === 'lplgrad' ? labelled : { data: new Float32Array(0), rows: 0, width },
            labels: method === 'lplgrad' ? Int32Array.from({ length: LABELLED }, (_, i) => i % CLASSES) : new Int32Array(0),
            classNames: method === 'lplgrad' ? Array.from({ length: CLASSES }, (_, c) => String(c)) : [],
          };
          if (method === 'freesel') pool.unlabelledPatterns = { vectors: patterns, offsets: Int32Array.from({ length: items + 1 }, (_, i) => i) };
          const selector: Selector = method === 'freesel' ? new FreeSelSelector('d2-sampling') : selectorFor(method);
          const started = performance.now();
          const picks = await selector.select(pool, { budget, seed: 1, kernels });
          const seconds = (performance.now() - started) / 1000;
          // Distance-based methods compare each pick with the whole pool once: 2 flops per multiply-add.
          const gflops = method === 'lplgrad' ? undefined : (2 * picks.length * items * width) / seconds / 1e9;
          rows.push({ items, width, method, seconds, gflops });
          process.stderr.write(`${method} ${items} x ${width}: ${picks.length} picks in ${seconds.toFixed(2)} s\n`);
        }
      }
    }
  } finally {
    await kernels.dispose();
  }
  await writeResults(rows, budget);
}

async function writeResults(rows: Row[], budget: number): Promise<void> {
  const results = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    command: `node dist/bench/selectionScaling.js ${process.argv.slice(2).join(' ')}`.trim(),
    budget,
    rows,
  };
  const growth = (row: Row): string => {
    const smaller = rows.find((other) => other.method === row.method && other.width === row.width && other.items * 10 === row.items);
    return smaller ? `${(row.seconds / smaller.seconds).toFixed(1)}x` : '';
  };
  const lines = [
    '# Selection time against pool size',
    '',
    `Measured ${results.date} on ${results.machine}, CPU only (ONNX kernels).`,
    `Command: \`${results.command}\` (after \`npm run build\`).`,
    '',
    `Load average (1 min) ${loadAtStart.toFixed(2)} when the run started and ${loadavg()[0].toFixed(2)} when it ended, on ${availableParallelism()} cores: ` +
      'other work on the machine slows these figures, so compare rows within one table. ' +
    `Synthetic clustered non-negative embeddings, budget B = ${budget}. FreeSel with one pattern per image; LPLgrad trains on ${LABELLED} labelled rows. ` +
      '"x10 pool" is the time over the time for a pool ten times smaller at the same width (10 would be linear). ' +
      'Effective GFLOP/s counts 2 flops per (pick, pool row, dimension).',
    '',
    '| method | pool | width | seconds | x10 pool | effective GFLOP/s |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.method} | ${row.items.toLocaleString('en')} | ${row.width} | ${row.seconds.toFixed(2)} | ${growth(row)} | ${row.gflops ? row.gflops.toFixed(1) : ''} |`),
    '',
    'What picking at a reduced width costs in selection quality on real digits: [selection-dims.md](selection-dims.md) ' +
      '(`node dist/bench/selection.js --no-timing --dims 256,64 --methods random,freesel,kcenter,freesel@256,kcenter@256,freesel@64,kcenter@64 --out-suffix -dims`).',
    '',
  ];
  await writeBenchResults(join(repo, 'bench', 'results'), 'selection-scaling', results, lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
