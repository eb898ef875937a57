// Curator: Suggest Labels, Find Label Issues, Group Unlabelled Images, Find Near-Duplicates and Find Image Problems
// through the real `vscode` API: each returns its result, writes JSON + Markdown into the cache
// folder and opens the Markdown; the results keep their contracts.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterImagesResult } from '../../src/core/jobs/clusterImages';
import type { FindDuplicatesResult } from '../../src/core/jobs/findDuplicates';
import type { FindImageProblemsResult } from '../../src/core/jobs/findImageProblems';
import { FINDING_KINDS } from '../../src/core/quality/imageFindings';
import type { FindLabelIssuesResult } from '../../src/core/jobs/findLabelIssues';
import type { SuggestLabelsResult } from '../../src/core/jobs/suggestLabels';
import type { AcceptSuggestionsCommandResult } from '../../src/host/commands/acceptSuggestions';
import type { ReportResult } from '../../src/host/commands/suggestLabels';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type EmbeddingsResult } from './workspace';

function assertReport(outcome: ReportResult<unknown> | undefined, root: string, file: string): asserts outcome is ReportResult<unknown> {
  assert.ok(outcome, 'the command returns its result (undefined means it failed: see "Curator: Show Log")');
  assert.equal(outcome.jsonPath, join(root, '.curator', 'suggestions', file));
  assert.ok(existsSync(outcome.jsonPath) && existsSync(outcome.markdownPath));
  assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, outcome.markdownPath, 'the readable report is open');
}

describe('Curator: Suggest Labels and its siblings', () => {
  let root: string;

  before(async () => {
    root = join(fixtureWorkspace(), fixtureFacts.rootName);
    const embedded = await vscode.commands.executeCommand<EmbeddingsResult>('curator.computeEmbeddings');
    assert.ok(embedded?.roots.some((r) => r.root === root), 'the fixture is embedded first');
  });

  it('Suggest Labels gives every image a distribution over the classes, most likely first', async () => {
    const outcome = await vscode.commands.executeCommand<ReportResult<SuggestLabelsResult>>('curator.suggestLabels', { root, method: 'pll', seed: 1 });
    assertReport(outcome, root, 'pll.json');
    const { result } = outcome;
    assert.equal(result.items.length, result.labelled + result.unlabelled);
    assert.ok(result.unlabelled > 0 && result.labelled > 0);
    for (const item of result.items) {
      const p = item.suggestions.map((s) => s.p);
      assert.ok(p.every((v, i) => v >= 0 && v <= 1 && (i === 0 || v <= p[i - 1])), `${item.path}: ${p}`);
      assert.equal(new Set(item.suggestions.map((s) => s.label)).size, item.suggestions.length);
      if (item.label === null) assert.equal(item.issue, false, 'an unlabelled image is never flagged');
      else assert.equal(typeof item.pGiven, 'number', 'labelled images carry the evidence');
    }
    assert.deepEqual(JSON.parse(readFileSync(outcome.jsonPath, 'utf8')).items, result.items);
  });

  it('Accept Sure Suggestions labels the unlabelled images whose first suggestion reaches the threshold, in one change', async () => {
    // A copy of the root with its saved suggestions, so the fixture the other tests count stays as it is.
    const copy = join(fixtureWorkspace(), 'accept-suggestions-test');
    await rm(copy, { recursive: true, force: true });
    await cp(join(root, fixtureFacts.unlabeledFolderName), join(copy, fixtureFacts.unlabeledFolderName), { recursive: true });
    await cp(join(root, '.curator', 'suggestions', 'pll.json'), join(copy, '.curator', 'suggestions', 'pll.json'));
    try {
      const saved = JSON.parse(readFileSync(join(copy, '.curator', 'suggestions', 'pll.json'), 'utf8')) as {
        items: Array<{ path: string; label: string | null; suggestions: Array<{ label: string; p: number }>; unknownClass?: boolean }>;
      };
      // "new class?" images are never accepted in bulk, however sure their first suggestion.
      const candidates = saved.items.filter((item) => item.label === null && !item.unknownClass);
      const tops = candidates.map((item) => item.suggestions[0]!.p).sort((a, b) => a - b);
      const threshold = tops[Math.floor(tops.length / 2)]!;
      const expected = candidates.filter((item) => item.suggestions[0]!.p >= threshold);
      const unlabelled = saved.items.filter((item) => item.label === null).length;
      assert.ok(expected.length > 0 && expected.length < unlabelled, `${expected.length} of ${unlabelled} pass ${threshold}`);

      const outcome = await vscode.commands.executeCommand<AcceptSuggestionsCommandResult>('curator.acceptSuggestions', { root: copy, minProbability: threshold, confirm: false });
      assert.ok(outcome, 'the command returns its result');
      assert.deepEqual(outcome.refused, []);
      assert.equal(outcome.mode, 'folder');
      assert.deepEqual(outcome.applied.map((change) => change.oldRelPath).sort(), expected.map((item) => item.path).sort());
      for (const item of expected) {
        const name = item.path.slice(item.path.lastIndexOf('/') + 1);
        assert.ok(existsSync(join(copy, item.suggestions[0]!.label, name)) && !existsSync(join(copy, item.path)), `${item.path} moved into ${item.suggestions[0]!.label}/`);
      }
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('Find Label Issues lists only flagged labelled images, most likely wrong first', async () => {
    const outcome = await vscode.commands.executeCommand<ReportResult<FindLabelIssuesResult>>('curator.findLabelIssues', { root, seed: 1, issueConfidence: 0 });
    assertReport(outcome, root, 'issues.json');
    const gaps = outcome.result.items.map((item) => {
      assert.ok(item.issue && item.label !== null && item.predicted !== item.label, item.path);
      return item.pPredicted! - item.pGiven!;
    });
    assert.ok(gaps.every((gap, i) => i === 0 || gap <= gaps[i - 1]), `ordered by gap: ${gaps}`);
  });

  it('Group Unlabelled Images keeps its ids on an unchanged dataset', async () => {
    const first = await vscode.commands.executeCommand<ReportResult<ClusterImagesResult>>('curator.groupUnlabelled', { root, k: 3, newRound: true });
    assertReport(first, root, 'clusters.json');
    const again = await vscode.commands.executeCommand<ReportResult<ClusterImagesResult>>('curator.groupUnlabelled', { root });
    assert.ok(again);
    assert.equal(again.result.round, first.result.round, 'nothing changed, so no new round');
    const idsOf = (r: ClusterImagesResult) => Object.fromEntries(r.clusters.flatMap((c) => c.members.map((m) => [m.path, c.id])));
    assert.deepEqual(idsOf(again.result), idsOf(first.result));
    const members = first.result.clusters.flatMap((c) => c.members.map((m) => m.path));
    assert.ok(members.every((path) => path.startsWith(`${fixtureFacts.unlabeledFolderName}/`)), 'only unlabelled images are grouped');
  });

  it('Find Near-Duplicates reports groups, each of at least two images', async () => {
    const outcome = await vscode.commands.executeCommand<ReportResult<FindDuplicatesResult>>('curator.findDuplicates', { root });
    assertReport(outcome, root, 'duplicates.json');
    const { result } = outcome;
    assert.equal(result.exactGroups + result.nearGroups, result.groups.length);
    for (const group of result.groups) assert.ok(group.members.flat().length >= 2);
  });

  it('Find Image Problems reads the statistics the embedding stored and lists findings by kind, worst first', async () => {
    const outcome = await vscode.commands.executeCommand<ReportResult<FindImageProblemsResult>>('curator.findImageProblems', { root });
    assertReport(outcome, root, 'image-problems.json');
    const { result } = outcome;
    assert.equal(result.images, fixtureFacts.decodable, 'every decodable image has statistics from Compute Embeddings');
    assert.deepEqual(Object.keys(result.counts).sort(), [...FINDING_KINDS].sort());
    assert.equal(Object.values(result.counts).reduce((a, b) => a + b, 0), result.findings.length);
    const order = result.findings.map((f) => [FINDING_KINDS.indexOf(f.kind), -f.score]);
    assert.deepEqual(order, [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });
});
