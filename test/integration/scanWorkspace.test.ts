import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type ScanResult, type ScannedRoot } from './workspace';

describe('Curator: Scan Workspace', () => {
  let digits: ScannedRoot;

  before(async () => {
    const result = await vscode.commands.executeCommand<ScanResult>('curator.scanWorkspace');
    assert.ok(result && Array.isArray(result.roots), 'the command returns { roots }');
    const expectedRoot = join(fixtureWorkspace(), fixtureFacts.rootName);
    const found = result.roots.find((root) => root.root === expectedRoot);
    assert.ok(found, `a dataset root at ${expectedRoot}; got ${result.roots.map((root) => root.root).join(', ') || 'none'}`);
    digits = found;
  });

  it('finds the three class folders with their images', () => {
    const classes = [...digits.classes].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      classes,
      fixtureFacts.classes.map((name) => ({ name, count: fixtureFacts.labelledPerClass })),
    );
  });

  it('counts labelled and unlabelled images', () => {
    assert.equal(digits.counts.labelled, fixtureFacts.labelled);
    // The two broken files have image extensions; whether they count as unlabelled images
    // is the scanner's choice, but every decodable unlabelled image must be counted.
    const brokenCounted = digits.counts.unlabelled - fixtureFacts.unlabelledDecodable;
    assert.ok(
      brokenCounted === 0 || brokenCounted === fixtureFacts.brokenFiles.length,
      `unlabelled = ${digits.counts.unlabelled}, expected ${fixtureFacts.unlabelledDecodable} decodable images (+ the broken ones)`,
    );
    assert.equal(digits.counts.images, digits.counts.labelled + digits.counts.unlabelled);
  });

  it('reports the empty file and the text file posing as an image', () => {
    const paths = digits.problems.map((problem) => problem.relPath.split('\\').join('/')).sort();
    assert.deepEqual(paths, [...fixtureFacts.brokenFiles].sort());
    for (const problem of digits.problems) {
      assert.ok(problem.kind, 'a problem has a kind');
      assert.ok(problem.severity, 'a problem has a severity');
      assert.ok(problem.message.length > 0, 'a problem explains itself');
    }
  });
});
