// The `curator` command line, run as a user would: a separate Node process on real images.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);

let workDir = '';
/** What the select test saved, for the export-selection test after it. */
let selections: { digitsRoot: string; firstFile: string; firstPaths: string[]; newestPaths: string[] } | undefined;

describe('curator CLI', function () {
  this.timeout(120_000);
  let cleanup: () => Promise<void>;
  let folder: string;

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('cli'));
    folder = join(workDir, 'workspace');
    await makeFixtureDataset(folder);
  });
  after(() => cleanup());

  it('exits 2 with a clear message on bad usage', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage: curator/],
      [['frobnicate', folder], /Unknown command "frobnicate"/],
      [['scan'], /exactly one folder/],
      [['scan', join(folder, 'missing')], /No such folder/],
      [['scan', folder, '--bogus'], /Unknown option --bogus/],
      [['embed', folder, '--provider', 'tpu'], /--provider must be auto, cuda or cpu/],
      [['embed', folder, '--batch-size', '0'], /--batch-size must be a positive integer/],
      [['embed', folder, '--shard', '3/3'], /0 <= i < n/],
      [['export', folder], /needs --out/],
      [['scan', folder, '--root', 'no-such-root'], /--root no-such-root: no such folder .* \(a relative --root is taken from the folder given/],
    ];
    for (const [args, message] of cases) {
      const run = await curator(...args);
      assert.equal(run.code, 2, `curator ${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout + run.stderr, message);
    }
  });

  it('scan --json reports roots, counts and problems with root-relative forward-slash paths', async () => {
    const run = await curator('scan', folder, '--json');
    assert.equal(run.code, 0, run.stderr);
    const { roots } = JSON.parse(run.stdout);
    assert.deepEqual(roots.map((r: { root: string }) => r.root), [fixtureFacts.rootName, fixtureFacts.photos.rootName]);
    const digits = roots[0];
    assert.equal(digits.counts.labelled, fixtureFacts.labelled);
    assert.equal(digits.counts.unlabelled, fixtureFacts.unlabelledDecodable);
    assert.deepEqual(digits.classes.map((c: { name: string }) => c.name).sort(), [...fixtureFacts.classes]);
    const problemPaths = digits.problems.map((p: { relPath: string }) => p.relPath).sort();
    assert.deepEqual(problemPaths, [...fixtureFacts.brokenFiles].sort());
  });

  it('embed --json computes once, then serves everything from the cache', async () => {
    const first = await curator('embed', folder, '--json', '--provider', 'cpu');
    assert.equal(first.code, 0, first.stderr);
    const [result] = JSON.parse(first.stdout).roots;
    assert.equal(result.embedded, fixtureFacts.decodable);
    assert.equal(result.provider, 'cpu');
    assert.ok(existsSync(join(folder, fixtureFacts.rootName, '.curator')));
    const second = await curator('embed', folder, '--json', '--provider', 'cpu', '--quiet');
    assert.equal(second.code, 0, second.stderr);
    const [again] = JSON.parse(second.stdout).roots;
    assert.deepEqual([again.embedded, again.fromCache], [0, fixtureFacts.decodable]);
    assert.equal(second.stderr, '', '--quiet prints no progress');
  });

  it('select --json ranks unlabelled images of the chosen root, the same for the same seed', async () => {
    // Two roots under the folder: select needs to be told which.
    const ambiguous = await curator('select', folder, '--method', 'freesel', '--budget', '3');
    assert.equal(ambiguous.code, 2, ambiguous.stderr);
    assert.match(ambiguous.stderr, /holds 2 dataset roots .*pick one with --root/);
    const digitsRoot = join(folder, fixtureFacts.rootName);
    const select = (seed: string) => curator('select', folder, '--root', digitsRoot, '--method', 'freesel', '--budget', '3', '--seed', seed, '--json', '--quiet');
    // Without --method, auto runs and says what it ran and why (before the seeded runs, so the
    // newest saved selection stays theirs).
    const auto = await curator('select', folder, '--root', digitsRoot, '--budget', '3', '--json', '--quiet');
    assert.equal(auto.code, 0, auto.stderr);
    const autoResult = JSON.parse(auto.stdout);
    assert.equal(autoResult.method, 'auto');
    assert.ok(['typiclust', 'lplgrad'].includes(autoResult.ran), autoResult.ran);
    assert.match(autoResult.why, /labelled image/);
    assert.equal(autoResult.items.length, 3);
    // One after another: a run holds the embedding cache's lock.
    const first = await select('1');
    const again = await select('1');
    const other = await select('2');
    for (const run of [first, again, other]) assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(first.stdout);
    assert.equal(result.method, 'freesel');
    assert.equal(result.items.length, 3);
    assert.deepEqual(result.items.map((item: { rank: number }) => item.rank), [1, 2, 3]);
    for (const item of result.items) {
      // Paths are relative to the folder given, so they start with the root's name.
      assert.ok(item.path.startsWith(`${fixtureFacts.rootName}/${fixtureFacts.unlabeledFolderName}/`), item.path);
      assert.ok(existsSync(join(folder, item.path)), item.path);
    }
    assert.deepEqual(JSON.parse(again.stdout).items, result.items, 'same seed, same picks');
    const pathsOf = (run: CliRun) => JSON.parse(run.stdout).items.map((item: { path: string }) => item.path).join();
    assert.notEqual(pathsOf(other), pathsOf(first), 'another seed draws another sample');

    const unknown = await curator('select', folder, '--root', digitsRoot, '--method', 'oracle', '--budget', '3');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--method must be one of/);

    // Each run is saved in the root's cache, with root-relative paths, where the review panel looks.
    const saved = [first, other].map((run) => JSON.parse(run.stdout).savedAs as string);
    for (const file of saved) assert.equal(dirname(file), join(digitsRoot, '.curator', 'selections'));
    const savedItems = JSON.parse(readFileSync(saved[0], 'utf8')).items.map((item: { path: string }) => item.path);
    assert.deepEqual(savedItems.map((path: string) => `${fixtureFacts.rootName}/${path}`), result.items.map((item: { path: string }) => item.path));
    selections = { digitsRoot, firstFile: saved[0], firstPaths: savedItems, newestPaths: JSON.parse(readFileSync(saved[1], 'utf8')).items.map((item: { path: string }) => item.path) };
  });

  it('export-selection writes the newest saved selection (or the one named) as a list or as files, never overwriting', async () => {
    assert.ok(selections, 'the select test ran first');
    const { digitsRoot, firstFile, firstPaths, newestPaths } = selections;
    const exportSelection = (...args: string[]) => curator('export-selection', folder, '--root', digitsRoot, '--quiet', ...args);
    const usage: Array<[string[], RegExp]> = [
      [['--out', join(workDir, 'x.csv')], /needs --as/],
      [['--as', 'zip', '--out', join(workDir, 'x.zip')], /--as must be one of copy, symlink, csv, json/],
      [['--as', 'csv'], /needs --out <file>/],
    ];
    for (const [args, message] of usage) {
      const run = await exportSelection(...args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }

    // A list of the newest selection: ranked rows, paths relative to the root.
    const listFile = join(workDir, 'newest.csv');
    const list = await exportSelection('--as', 'csv', '--out', listFile);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /exported 3 of 3 selected images as csv/);
    const rows = readFileSync(listFile, 'utf8').trim().split(/\r?\n/);
    assert.match(rows[0], /^rank,path,score,label/);
    assert.deepEqual(rows.slice(1).map((row) => row.split(',').slice(0, 2).join(',')), newestPaths.map((path, i) => `${i + 1},${path}`));
    const again = await exportSelection('--as', 'csv', '--out', listFile);
    assert.equal(again.code, 1, 'an existing list file is not overwritten');
    assert.match(again.stderr, /already exists; choose another file name/);

    // Copies of a named selection, in rank order; a second export into the folder skips every name.
    const outDir = join(workDir, 'picked');
    const copied = await exportSelection('--as', 'copy', '--out', outDir, '--selection', firstFile, '--json');
    assert.equal(copied.code, 0, copied.stderr);
    const copy = JSON.parse(copied.stdout);
    assert.equal(copy.selectionFile, firstFile);
    assert.deepEqual(copy.files, firstPaths.map((path, i) => `000${i + 1}_${basename(path)}`));
    assert.deepEqual(readdirSync(outDir).sort(), [...copy.files].sort());
    assert.deepEqual(readFileSync(join(outDir, copy.files[0])), readFileSync(join(digitsRoot, firstPaths[0])));
    const twice = await exportSelection('--as', 'copy', '--out', outDir, '--selection', firstFile, '--json');
    assert.equal(twice.code, 0, twice.stderr);
    assert.equal(JSON.parse(twice.stdout).exported, 0);
    assert.equal(twice.stderr.match(/already exists in .*; it was not overwritten/g)?.length, 3, twice.stderr);

    // A root nobody selected from says what to run first.
    const none = await curator('export-selection', folder, '--root', join(folder, fixtureFacts.photos.rootName), '--as', 'json', '--out', join(workDir, 'none.json'));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /has no saved selection yet .*run curator select first/);
  });

  it('export writes embeddings.npy, index.csv and meta.json', async () => {
    const out = join(workDir, 'export');
    const run = await curator('export', folder, '--out', out, '--json');
    assert.equal(run.code, 0, run.stderr);
    const [digits, photos] = JSON.parse(run.stdout).roots;
    assert.equal(digits.rows, fixtureFacts.decodable);
    assert.equal(photos.rows, fixtureFacts.photos.unlabelled);
    // Several roots export into a sub-folder each.
    for (const root of [fixtureFacts.rootName, fixtureFacts.photos.rootName]) {
      for (const name of ['embeddings.npy', 'index.csv', 'meta.json']) assert.ok(existsSync(join(out, root, name)), `${root}/${name}`);
    }
  });
});
