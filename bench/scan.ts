// Scan speed on a large dataset: 100,000 tiny real images (plus bad files the scan must report)
// in a temporary folder, scanned several times; the files are in the page cache after they are
// written, so this measures the scan's own cost, not the disk's.
//
//   npm run bench:scan [-- --files 100000 --runs 3]
// Prints a table and writes bench/results/scan.json and bench/results/scan.md.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanDataset } from '../src/core/dataset/scan';
import { beforeSection, benchFlag, machineDescription, round, writeBenchResults } from './lib/benchSupport';
import { BAD_FILES, ensureLargeDataset } from './lib/largeDataset';

const repo = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const fileCount = Number(benchFlag('files', '100000'));
  const runs = Number(benchFlag('runs', '3'));
  const root = join(benchFlag('dir', join(tmpdir(), 'curator-bench-large')), String(fileCount));
  const writeStart = performance.now();
  await ensureLargeDataset(root, fileCount);
  console.log(`Dataset ready in ${((performance.now() - writeStart) / 1000).toFixed(1)} s: ${root}`);

  const seconds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const scan = await scanDataset(root);
    seconds.push((performance.now() - start) / 1000);
    const bad = scan.problems.filter((p) => p.kind === 'empty-file' || p.kind === 'not-an-image').length;
    if (scan.images.length !== fileCount || bad !== BAD_FILES.empty + BAD_FILES.text) {
      throw new Error(`Scan found ${scan.images.length} images and ${bad} bad files; expected ${fileCount} and ${BAD_FILES.empty + BAD_FILES.text}.`);
    }
    console.log(`scan ${r + 1}: ${seconds[r].toFixed(2)} s`);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const figures = {
    date: new Date().toISOString(),
    machine: machineDescription(),
    command: `npm run bench:scan -- --files ${fileCount} --runs ${runs}`,
    files: fileCount,
    badFiles: BAD_FILES.empty + BAD_FILES.text,
    secondsPerRun: seconds.map((s) => round(s, 2)),
    medianSeconds: round(sorted[sorted.length >> 1], 2),
    filesPerSecond: Math.round(fileCount / sorted[sorted.length >> 1]),
  };
  const outDir = join(repo, 'bench', 'results');
  const before = await beforeSection(outDir, 'scan', [
    ['medianSeconds', `scan, median, s`],
    ['secondsPerRun', 'every run, s'],
    ['filesPerSecond', 'files per second'],
  ]);
  const markdown = `# Scan benchmark

Measured ${figures.date} on ${figures.machine}.
Command: \`${figures.command}\`: ${fileCount.toLocaleString('en')} tiny PNG and JPEG images in 11 folders plus
${figures.badFiles} bad files (empty, text named like an image), all reported as problems; files in the page cache.

| figure | value |
|---|---|
| scan, median of ${runs} | ${figures.medianSeconds} s |
| every run | ${figures.secondsPerRun.join(', ')} s |
| files per second | ${figures.filesPerSecond.toLocaleString('en')} |
${before}`;
  console.log(markdown);
  await writeBenchResults(outDir, 'scan', figures, markdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
