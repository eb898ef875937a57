// How selection time grows with the pool: FreeSel, k-center greedy, LPLgrad, TypiClust and ProbCover on synthetic
// pools of 10k, 100k and 1M embeddings, at the bundled model's width (1280) where the pool fits in
// memory and at a reduced width (256, a random projection's output) for every size.
//
//   npm run bench:selection-scaling [-- --sizes 10000,100000,1000000 --budget 1000 --full-width-max 100000 --methods typiclust,probcover --recall]
//
// --recall: for every pool ProbCover runs on, also how much of each delta-ball its approximate
// graph holds (above 20,000 images it is built from k-means cells, src/core/select/deltaBallGraph.ts):
// the balls of RECALL_SAMPLE seeded rows counted exactly by brute force against the graph's, in a
// process of its own (not timed). --recall-pools timing,classes adds pools of ten Gaussian classes
// (test/unit/select/syntheticPool.ts), whose balls hold hundreds of rows each, at width 256.
//
// A 1M x 1280 float pool is 5.1 GB, and FreeSel keeps a pattern matrix of the same size next to it;
// that does not fit beside the rest of this machine's work, so 1M is measured at 256 floats only.
// What picking in a projected space costs in label efficiency on real digits is measured by
// `npm run bench:selection -- --dims 256,64` (bench/results/selection.md). Writes
// bench/results/selection-scaling.{md,json}.
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { FreeSelSelector } from '../src/core/select/freeSelSelector';
import { SeededRandom } from '../src/core/math/seededRandom';
import { OnnxMatrixKernels } from '../src/core/select/kernels/onnxKernels';
import { ProbCoverSelector } from '../src/core/select/probCoverSelector';
import { selectorFor } from '../src/core/select/selectors';
import type { SelectionPool, Selector } from '../src/core/select/types';
import { syntheticRows } from './lib/syntheticRows';
import { clusteredRows } from '../test/unit/select/syntheticPool';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';

const repo = join(__dirname, '..', '..');
const CLASSES = 10;
const LABELLED = 1000;
const METHODS = ['freesel', 'kcenter', 'lplgrad', 'typiclust', 'probcover'] as const;
type Method = (typeof METHODS)[number];

interface Row {
  items: number;
  width: number;
  method: string;
  seconds: number;
  gflops?: number;
  /** Peak resident memory of the process that ran only this method on this pool, MB. */
  peakMB: number;
  /** CPU time (user + system, all threads) of the selection: less sensitive than wall time to other work on the machine. */
  cpuSeconds: number;
}

/** ProbCover's graph against exact balls on the same pool. */
interface RecallRow {
  /** `timing`: the pool the times are measured on; `classes`: ten Gaussian classes. */
  pool: string;
  items: number;
  width: number;
  /** Delta by the purity rule, and the delta of the graph (halved when the pure one would not fit the edge bound). */
  pureDelta: number;
  delta: number;
  edges: number;
  sampled: number;
  /** Members of the sampled rows' balls: counted exactly, and held by the graph. */
  exactMembers: number;
  graphMembers: number;
  recall: number;
}

const RECALL_SAMPLE = 500;

/** Read first thing, to say in the results how busy the machine was when the run began. */
const loadAtStart = loadavg()[0];

async function main(): Promise<void> {
  const one = benchFlag('one', '');
  if (one.startsWith('recall,')) {
    const [, pool, items, width] = one.split(',');
    process.stdout.write(JSON.stringify(await graphRecall(pool, Number(items), Number(width))) + '\n');
    return;
  }
  if (one) {
    const [method, items, width, budget] = one.split(',');
    process.stdout.write(JSON.stringify(await runOne(method as Method, Number(items), Number(width), Number(budget))) + '\n');
    return;
  }
  const sizes = benchFlag('sizes', '10000,100000,1000000').split(',').map(Number);
  const budget = Number(benchFlag('budget', '1000'));
  const fullWidthMax = Number(benchFlag('full-width-max', '100000'));
  const methods = benchFlag('methods', METHODS.join(',')).split(',') as Method[];
  // method@items pairs not to run (e.g. probcover@1000000, the slowest: its approximate graph
  // costs about n^1.5 x 128 multiply-adds, near a trillion at 1M).
  const skip = new Set(benchFlag('skip', '').split(',').filter(Boolean));
  const recallPools = benchFlag('recall-pools', process.argv.includes('--recall') ? 'timing' : '').split(',').filter(Boolean);
  const rows: Row[] = [];
  const recalls: RecallRow[] = [];
  // One process per measurement, so that its peak memory is this method's alone.
  const child = <T>(spec: string): T => JSON.parse(execFileSync(process.execPath, [__filename, '--one', spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 }).trim().split('\n').pop()!) as T;
  for (const width of [1280, 256]) {
    for (const items of sizes) {
      if (width === 1280 && items > fullWidthMax) continue;
      for (const method of methods) {
        if (skip.has(`${method}@${items}`)) continue;
        const row = child<Row>(`${method},${items},${width},${budget}`);
        rows.push(row);
        process.stderr.write(`${method} ${items} x ${width}: ${row.seconds.toFixed(2)} s (CPU ${row.cpuSeconds.toFixed(1)} s), peak ${row.peakMB.toFixed(0)} MB\n`);
        // Written after every measurement, so a long run that is stopped keeps what it measured.
        await writeResults(rows, recalls, budget);
      }
      if (!methods.includes('probcover') || skip.has(`probcover@${items}`)) continue;
      for (const pool of recallPools) {
        if (pool === 'classes' && width !== 256) continue;
        const row = child<RecallRow>(`recall,${pool},${items},${width}`);
        recalls.push(row);
        process.stderr.write(`probcover graph, ${pool} pool ${items} x ${width}: recall ${row.recall.toFixed(4)} at delta ${row.delta.toFixed(3)}\n`);
        await writeResults(rows, recalls, budget);
      }
    }
  }
  await writeResults(rows, recalls, budget);
}

/** ProbCover's graph on the benchmark's pool, and the exact balls of a seeded sample of its rows. */
async function graphRecall(kind: string, items: number, width: number): Promise<RecallRow> {
  const kernels = await OnnxMatrixKernels.open(join(repo, 'dist', 'models', 'kernels'));
  try {
    const embeddings = kind === 'classes' ? clusteredRows(items, width, 10, 3).rows : syntheticRows(items, 1, width, 5);
    const pool: SelectionPool = { unlabelled: embeddings, labelled: { data: new Float32Array(0), rows: 0, width }, labels: new Int32Array(0), classNames: [] };
    const { rows, pureDelta, graph } = await new ProbCoverSelector().coverageGraph(pool, { seed: 1, kernels });
    const n = rows.rows;
    const dims = rows.width;
    const sample = new SeededRandom(7).permutation(n).slice(0, RECALL_SAMPLE);
    const queries = new Float32Array(sample.length * dims);
    sample.forEach((row, i) => queries.set(rows.data.subarray(row * dims, (row + 1) * dims), i * dims));
    const minDot = 1 - (graph.delta * graph.delta) / 2;
    let exactMembers = 0;
    const block = 16384;
    for (let start = 0; start < n; start += block) {
      const count = Math.min(block, n - start);
      const transposed = new Float32Array(dims * count);
      for (let j = 0; j < count; j++) for (let d = 0; d < dims; d++) transposed[d * count + j] = rows.data[(start + j) * dims + d];
      const dots = await kernels.gemm(queries, sample.length, dims, transposed, count, new Float32Array(count));
      for (const dot of dots) if (dot >= minDot) exactMembers++;
    }
    const graphMembers = sample.reduce((sum, row) => sum + graph.offsets[row + 1] - graph.offsets[row], 0);
    return { pool: kind, items, width, pureDelta, delta: graph.delta, edges: graph.offsets[n], sampled: sample.length, exactMembers, graphMembers, recall: graphMembers / exactMembers };
  } finally {
    await kernels.dispose();
  }
}

async function runOne(method: Method, items: number, width: number, budget: number): Promise<Row> {
  const kernels = await OnnxMatrixKernels.open(join(repo, 'dist', 'models', 'kernels'));
  try {
    const embeddings = syntheticRows(items, 1, width, 5);
    const pool: SelectionPool = {
      unlabelled: embeddings,
      labelled: method === 'lplgrad' ? syntheticRows(LABELLED, 1, width, 6) : { data: new Float32Array(0), rows: 0, width },
      labels: method === 'lplgrad' ? Int32Array.from({ length: LABELLED }, (_, i) => i % CLASSES) : new Int32Array(0),
      classNames: method === 'lplgrad' ? Array.from({ length: CLASSES }, (_, c) => String(c)) : [],
    };
    // FreeSel compares patterns; with one pattern per image it holds a second matrix of the pool's size.
    if (method === 'freesel') pool.unlabelledPatterns = { vectors: syntheticRows(items, 1, width, 7), offsets: Int32Array.from({ length: items + 1 }, (_, i) => i) };
    const selector: Selector = method === 'freesel' ? new FreeSelSelector('d2-sampling') : selectorFor(method);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const picks = await selector.select(pool, { budget, seed: 1, kernels });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // Distance-based methods compare each pick with the whole pool once: 2 flops per multiply-add.
    const gflops = ['freesel', 'kcenter'].includes(method) ? (2 * picks.length * items * width) / seconds / 1e9 : undefined;
    return { items, width, method, seconds, gflops, peakMB: process.resourceUsage().maxRSS / 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await kernels.dispose();
  }
}

async function writeResults(rows: Row[], recalls: RecallRow[], budget: number): Promise<void> {
  const results = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    command: `node dist/bench/selectionScaling.js ${process.argv.slice(2).join(' ')}`.trim(),
    loadAtStart,
    loadAtEnd: loadavg()[0],
    budget,
    rows,
    recalls,
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
      'Effective GFLOP/s counts 2 flops per (pick, pool row, dimension). Peak memory: the maximum resident set of a process that generated the pool and ran that one method ' +
      '(the pool itself is rows x width x 4 bytes: 512 MB at 100,000 x 1280). TypiClust and ProbCover work in the top 128 principal directions at these sizes; ' +
      'ProbCover builds its graph from k-means cells above 20,000 images (approximate, see src/core/select/deltaBallGraph.ts), settling the halvings of its radius in one pass; ' +
      'above 100,000 rows k-means draws at most 200 rows per centre in its mini-batches (src/core/math/kMeans.ts).',
    '',
    '| method | pool | width | seconds | CPU seconds | x10 pool | effective GFLOP/s | peak memory (MB) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.method} | ${row.items.toLocaleString('en')} | ${row.width} | ${row.seconds.toFixed(2)} | ${row.cpuSeconds?.toFixed(1) ?? ''} | ${growth(row)} | ${row.gflops ? row.gflops.toFixed(1) : ''} | ${row.peakMB.toFixed(0)} |`,
    ),
    ...(recalls.length === 0
      ? []
      : [
          '',
          `ProbCover's graph against exact balls (\`--recall\`, \`--recall-pools\`): the delta-balls of ${RECALL_SAMPLE} seeded rows counted by brute force, against the members the graph gives them ` +
            '(recall = graph / exact; above 20,000 images the graph is built from k-means cells and can miss members in cells not paired with the row\'s own). ' +
            'Pools: "timing" is the pool timed above; "classes" holds ten Gaussian classes (test/unit/select/syntheticPool.ts), whose balls hold hundreds of rows each. ' +
            'Delta by the purity rule, and the delta used when that graph would pass the 100 M edge bound.',
          '',
          '| pool | images | width | purity delta | delta used | edges | ball members (exact) | held by the graph | recall |',
          '|---|---|---|---|---|---|---|---|---|',
          ...recalls.map(
            (row) =>
              `| ${row.pool} | ${row.items.toLocaleString('en')} | ${row.width} | ${row.pureDelta.toFixed(3)} | ${row.delta.toFixed(3)} | ${row.edges.toLocaleString('en')} | ${row.exactMembers.toLocaleString('en')} | ${row.graphMembers.toLocaleString('en')} | ${row.recall.toFixed(4)} |`,
          ),
        ]),
    '',
    'What picking at a reduced width costs in selection quality on real digits: [selection-dims.md](selection-dims.md) ' +
      '(`node dist/bench/selection.js --no-timing --dims 256,64 --methods random,freesel,kcenter,freesel@256,kcenter@256,freesel@64,kcenter@64 --out-suffix -dims`).',
    '',
  ];
  await writeBenchResults(join(repo, 'bench', 'results'), `selection-scaling${benchFlag('out-suffix', '')}`, results, lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
