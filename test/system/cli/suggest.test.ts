// `curator suggest` and `curator issues` as a user runs them: a separate Node process on the real
// digits fixture, checking the --json shapes scripts rely on.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { tempDir } from '../../support/paths';
import { runCli, type CliRun } from '../../support/runCli';

/** The Markdown report the run wrote beside its JSON result in the cache folder, as the editor's command does: its path (from stderr) and text. */
function reportOf(run: CliRun, resultName: string): string {
  const path = /; report: (.+\.md)$/m.exec(run.stderr)?.[1];
  assert.ok(path, `no report path in stderr: ${run.stderr}`);
  assert.equal(basename(path), resultName.replace(/\.json$/, '.md'));
  assert.ok(existsSync(join(dirname(path), resultName)), 'beside the JSON result');
  return readFileSync(path, 'utf8');
}

interface JsonItem {
  path: string;
  label: string | null;
  suggestions: Array<{ label: string; p: number }>;
  issue: boolean;
  pGiven?: number;
  predicted?: string;
  pPredicted?: number;
}

describe('curator suggest and issues', function () {
  this.timeout(120_000);
  let cleanup: () => Promise<void>;
  let workDir: string;
  let root: string;

  const curator = (...args: string[]): Promise<CliRun> => runCli(workDir, ...args);

  before(async () => {
    ({ dir: workDir, cleanup } = await tempDir('cli-suggest'));
    root = join(await makeFixtureDataset(join(workDir, 'workspace')));
    const embedded = await curator('embed', root, '--provider', 'cpu', '--quiet');
    assert.equal(embedded.code, 0, embedded.stderr);
  });
  after(() => cleanup());

  for (const method of ['pll', 'knn']) {
    it(`suggest --method ${method} --json: every decodable image with its label, ordered suggestions and a flag`, async () => {
      const run = await curator('suggest', root, '--method', method, '--json', '--seed', '1');
      assert.equal(run.code, 0, run.stderr);
      const output = JSON.parse(run.stdout) as { method: string; classes: string[]; items: JsonItem[] };
      assert.equal(output.method, method);
      assert.match(reportOf(run, `${method}.json`), /^# /);
      assert.deepEqual(output.classes, [...fixtureFacts.classes]);
      assert.equal(output.items.length, fixtureFacts.decodable);
      assert.equal(output.items.filter((item) => item.label !== null).length, fixtureFacts.labelled);
      for (const item of output.items) {
        assert.ok(!item.path.startsWith('/') && !item.path.includes('\\'), item.path);
        assert.ok(item.suggestions.length >= 1 && item.suggestions.length <= fixtureFacts.classes.length);
        assert.ok(item.suggestions.every((s, i) => fixtureFacts.classes.includes(s.label as never) && (i === 0 || s.p <= item.suggestions[i - 1].p)));
        assert.equal(typeof item.issue, 'boolean');
        if (item.label === null) assert.equal(item.issue, false);
        else assert.ok(typeof item.pGiven === 'number' && typeof item.predicted === 'string');
      }
      // Three classes and three suggestions: the whole distribution, which sums to 1.
      const sum = output.items[0].suggestions.reduce((s, x) => s + x.p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-4, `sums to ${sum}`);
    });
  }

  it('issues --json lists only flagged labelled images', async () => {
    const run = await curator('issues', root, '--json', '--issue-confidence', '0');
    assert.equal(run.code, 0, run.stderr);
    const output = JSON.parse(run.stdout) as { method: string; labelled: number; items: JsonItem[] };
    assert.equal(output.method, 'pll');
    assert.match(reportOf(run, 'issues.json'), /^# /);
    assert.equal(output.labelled, fixtureFacts.labelled);
    for (const item of output.items) assert.ok(item.issue && item.label !== null && item.predicted !== item.label, item.path);
  });

  it('refuses an unknown method with a usage error', async () => {
    const run = await curator('suggest', root, '--method', 'magic');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--method must be one of pll, moe, knn/);
  });
});
