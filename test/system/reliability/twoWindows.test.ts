// Two windows on one manifest dataset: two processes label different images at the same time, one
// write per change. Both sets of labels end up in labels.csv, nothing is refused, and a reader
// watching the file throughout never sees a half-written file or a labelled row disappear
// (which is what one writer overwriting the other's change from a stale copy would look like).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../support/paths';

const CHILD = join(__dirname, 'labelWriterChild.js');
const PER_WINDOW = 60;

interface ChildReport {
  applied: number;
  refused: string[];
  /** Reads, right after one of its own writes (not its last), that saw the other writer half done. */
  sawOtherHalfDone: number;
}

describe('reliability: two windows writing labels.csv at once', function () {
  this.timeout(120_000);
  let root: string;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it('keeps both windows\' labels and never shows a torn or clobbered file', async () => {
    ({ dir: root, cleanup } = await tempDir('two-windows'));
    const alpha = Array.from({ length: PER_WINDOW }, (_, i) => `unlabeled/a_${i}.png`);
    const beta = Array.from({ length: PER_WINDOW }, (_, i) => `unlabeled/b_${i}.png`);
    await mkdir(join(root, 'unlabeled'));
    for (const path of [...alpha, ...beta]) await writeFile(join(root, path), 'x');
    const manifest = join(root, 'labels.csv');
    await writeFile(manifest, 'path,label\r\n' + [...alpha, ...beta].map((path) => `${path},\r\n`).join(''));
    await writeFile(join(root, 'alpha.json'), JSON.stringify(alpha));
    await writeFile(join(root, 'beta.json'), JSON.stringify(beta));

    // Watch the file while both write: every read is complete, and labelled rows only ever grow.
    const reads = { count: 0, torn: [] as string[], shrank: [] as string[], bothMidway: 0 };
    let labelledBefore = new Set<string>();
    const watcher = setInterval(() => {
      const text = readFileSync(manifest, 'utf8');
      reads.count++;
      const lines = text.split('\r\n');
      const complete = lines[0] === 'path,label' && lines.pop() === '' && lines.length === 1 + 2 * PER_WINDOW && lines.every((line) => line.split(',').length === 2);
      if (!complete) reads.torn.push(text.slice(0, 200));
      const labelled = new Set(lines.slice(1).filter((line) => !line.endsWith(',')));
      for (const row of labelledBefore) if (!labelled.has(row)) reads.shrank.push(row);
      labelledBefore = labelled;
      const count = (label: string): number => [...labelled].filter((row) => row.endsWith(`,${label}`)).length;
      const midway = (n: number): boolean => n > 0 && n < PER_WINDOW;
      if (midway(count('alpha')) && midway(count('beta'))) reads.bothMidway++;
    }, 2);

    // A start barrier: both processes open their writers, then both are released at once.
    const barrier = join(root, '.barrier');
    await mkdir(barrier);
    const writers = Promise.all([runWriter(root, 'alpha.json', 'alpha', barrier), runWriter(root, 'beta.json', 'beta', barrier)]);
    while (!['alpha', 'beta'].every((label) => existsSync(join(barrier, `${label}.ready`)))) await new Promise((resolve) => setTimeout(resolve, 5));
    await writeFile(join(barrier, 'go'), '');
    const [alphaReport, betaReport] = await writers;
    clearInterval(watcher);

    assert.deepEqual({ ...alphaReport, sawOtherHalfDone: 0 }, { applied: PER_WINDOW, refused: [], sawOtherHalfDone: 0 });
    assert.deepEqual({ ...betaReport, sawOtherHalfDone: 0 }, { applied: PER_WINDOW, refused: [], sawOtherHalfDone: 0 });
    const final = readFileSync(manifest, 'utf8');
    for (const path of alpha) assert.ok(final.includes(`${path},alpha\r\n`), `${path} keeps alpha`);
    for (const path of beta) assert.ok(final.includes(`${path},beta\r\n`), `${path} keeps beta`);
    assert.deepEqual(reads.torn, [], 'no read saw a partial file');
    assert.deepEqual(reads.shrank, [], 'no labelled row was lost by one writer overwriting the other');
    assert.ok(reads.count > 10, `the file was watched (${reads.count} reads)`);
    // The writers themselves see the overlap (the watcher here may be starved of turns on a busy machine).
    const overlapSeen = alphaReport.sawOtherHalfDone + betaReport.sawOtherHalfDone + reads.bothMidway;
    assert.ok(overlapSeen > 0, 'the two writers really ran at the same time (each saw the other half done after a write of its own)');
    console.log(`      ${2 * PER_WINDOW} writes; ${reads.count} reads while they ran, ${reads.bothMidway} with both half done; the writers saw each other half done ${alphaReport.sawOtherHalfDone} + ${betaReport.sawOtherHalfDone} times`);
  });
});

function runWriter(root: string, pathsFile: string, label: string, barrier: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, root, join(root, pathsFile), label, barrier], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as ChildReport) : reject(new Error(`the ${label} writer failed (exit ${code}): ${stderr}`))));
  });
}
