// The `curator` command line, run as a user would: a separate Node process on real images.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);

let workDir = '';

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
