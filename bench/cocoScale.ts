// A COCO root at the scale of COCO 2017 train: a synthetic `instances_train2017.json` with its
// counts and record shapes (~450 MB) and every image it names, scanned through the CLI
// (`curator scan <root> --json`) as a user would; time and peak memory come from /usr/bin/time.
//
//   npm run bench:coco-scale [-- --images 118287 --annotations 860001 --runs 3 --present 118287 --name coco-scale]
// Writes the root under .scratch/coco-scale (git-ignored; delete it when done), prints a table,
// and writes bench/results/<name>.json and bench/results/<name>.md.

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { beforeSection, benchFlag, machineDescription, round, writeBenchResults } from './lib/benchSupport';
import { COCO_2017_TRAIN, ensureCocoScaleRoot } from '../test/support/syntheticCoco';

const repo = join(__dirname, '..', '..');

interface Run {
  seconds: number;
  peakRssMiB: number;
  exitCode: number;
  images: number;
  labelled: number;
  classes: number;
  problems: number;
}

/** One `curator scan <root> --json` under /usr/bin/time -v. */
function scanOnce(root: string, outFile: string): Run {
  const shell = `/usr/bin/time -v node ${JSON.stringify(join(repo, 'dist', 'cli.js'))} scan ${JSON.stringify(root)} --json > ${JSON.stringify(outFile)}`;
  const run = spawnSync('bash', ['-c', shell], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const report = run.stderr;
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(report);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  if (!elapsed || !rss) throw new Error(`No figures from /usr/bin/time:\n${report}`);
  const seconds = Number(elapsed[1] ?? 0) * 3600 + Number(elapsed[2]) * 60 + Number(elapsed[3]);
  const result: Run = { seconds, peakRssMiB: Math.round(Number(rss[1]) / 1024), exitCode: run.status ?? -1, images: 0, labelled: 0, classes: 0, problems: 0 };
  if (run.status === 0) {
    const { roots } = JSON.parse(readFileSync(outFile, 'utf8')) as { roots: Array<{ counts: { images: number; labelled: number }; classes: unknown[]; problems: unknown[] }> };
    result.images = roots[0]?.counts.images ?? 0;
    result.labelled = roots[0]?.counts.labelled ?? 0;
    result.classes = roots[0]?.classes.length ?? 0;
    result.problems = roots[0]?.problems.length ?? 0;
  } else {
    console.log(report.split('\n').filter((line) => !/^\s/.test(line)).slice(-15).join('\n'));
  }
  return result;
}

async function main(): Promise<void> {
  const counts = {
    images: Number(benchFlag('images', String(COCO_2017_TRAIN.images))),
    annotations: Number(benchFlag('annotations', String(COCO_2017_TRAIN.annotations))),
    categories: COCO_2017_TRAIN.categories,
  };
  const present = Number(benchFlag('present', String(counts.images)));
  const runs = Number(benchFlag('runs', '3'));
  const note = benchFlag('note', '');
  const name = benchFlag('name', 'coco-scale');
  const scratch = benchFlag('dir', join(repo, '.scratch', 'coco-scale'));
  const root = join(scratch, `${counts.images}-${counts.annotations}`);
  const writeStart = performance.now();
  await ensureCocoScaleRoot(root, counts, present);
  const instancesBytes = statSync(join(root, 'annotations', 'instances_train2017.json')).size;
  console.log(`Root ready in ${((performance.now() - writeStart) / 1000).toFixed(1)} s: ${root} (${(instancesBytes / 2 ** 20).toFixed(0)} MiB of annotations)`);

  const load = loadavg()[0]!;
  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const run = scanOnce(root, join(scratch, 'scan.json'));
    results.push(run);
    console.log(`scan ${r + 1}: ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB} MiB, exit ${run.exitCode}, ${run.images} images, ${run.labelled} labelled, ${run.classes} classes, ${run.problems} problems`);
  }
  const ok = results.filter((run) => run.exitCode === 0);
  const sorted = ok.map((run) => run.seconds).sort((a, b) => a - b);
  const figures = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    loadAverage: round(load, 2),
    command: `npm run bench:coco-scale -- --images ${counts.images} --annotations ${counts.annotations} --runs ${runs} --present ${present}${name === 'coco-scale' ? '' : ` --name ${name}`}`,
    ...counts,
    presentImages: present,
    instancesMiB: round(instancesBytes / 2 ** 20, 1),
    runsSucceeded: `${ok.length} of ${runs}`,
    secondsPerRun: results.map((run) => round(run.seconds, 2)),
    medianSeconds: sorted.length > 0 ? round(sorted[sorted.length >> 1]!, 2) : null,
    peakRssMiB: results.map((run) => run.peakRssMiB),
    imagesLabelled: ok[0] ? `${ok[0].labelled} of ${ok[0].images}` : 'none (the scan failed)',
    classes: ok[0]?.classes ?? 0,
    problems: ok[0]?.problems ?? 0,
    note,
  };
  const outDir = join(repo, 'bench', 'results');
  const sameAsCoco = counts.images === COCO_2017_TRAIN.images && counts.annotations === COCO_2017_TRAIN.annotations;
  const before = await beforeSection(outDir, name, [
    ['runsSucceeded', 'scans that finished'],
    ['medianSeconds', 'scan, median, s'],
    ['secondsPerRun', 'every run, s'],
    ['peakRssMiB', 'peak RSS per run, MiB'],
    ['imagesLabelled', 'images labelled'],
  ]);
  const markdown = `# COCO at scale${name === 'coco-scale' ? '' : ` (${name})`}

Measured ${figures.date} on ${figures.machine}, load average ${figures.loadAverage} at the start.
Command: \`${figures.command}\`: a synthetic \`annotations/instances_train2017.json\` with ${sameAsCoco ? "COCO 2017 train's counts" : 'these counts'}
(${counts.images.toLocaleString('en')} images, ${counts.annotations.toLocaleString('en')} annotations, ${counts.categories} categories) and COCO's record shapes
(polygons of 6-45 points, 1% crowd RLEs, bbox, area, every image field COCO writes): ${figures.instancesMiB} MiB.
${present.toLocaleString('en')} images present in \`train2017/\` (hard links to one 8x8 JPEG). Each run is a fresh
\`node dist/cli.js scan <root> --json\` process under \`/usr/bin/time -v\`; files in the page cache.
${note ? `\n${note}\n` : ''}
| figure | value |
|---|---|
| scans that finished | ${figures.runsSucceeded} |
| scan, median | ${figures.medianSeconds ?? '-'} s |
| every run | ${figures.secondsPerRun.join(', ')} s |
| peak RSS per run | ${figures.peakRssMiB.join(', ')} MiB |
| images labelled | ${figures.imagesLabelled} |
| classes, problems | ${figures.classes}, ${figures.problems} |
${before}`;
  console.log(markdown);
  await writeBenchResults(outDir, name, figures, markdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
