import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type ScanResult, type ScannedRoot } from './workspace';

describe('Curator: Scan Workspace', () => {
  let result: ScanResult;
  let digits: ScannedRoot;

  function scannedRoot(name: string): ScannedRoot {
    const expectedRoot = join(fixtureWorkspace(), name);
    const found = result.roots.find((root) => root.root === expectedRoot);
    assert.ok(found, `a dataset root at ${expectedRoot}; got ${result.roots.map((root) => root.root).join(', ') || 'none'}`);
    return found;
  }

  before(async () => {
    result = await vscode.commands.executeCommand<ScanResult>('curator.scanWorkspace');
    assert.ok(result && Array.isArray(result.roots), 'the command returns { roots }');
    digits = scannedRoot(fixtureFacts.rootName);
  });

  it('finds both dataset roots of the workspace', () => {
    assert.equal(result.roots.length, 2, `roots: ${result.roots.map((root) => root.root).join(', ')}`);
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
    // The two broken files have image extensions but are reported as problems, not counted as images.
    assert.equal(digits.counts.unlabelled, fixtureFacts.unlabelledDecodable);
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

  it('finds the photographs as a root of unlabelled images without problems', () => {
    const photos = scannedRoot(fixtureFacts.photos.rootName);
    assert.deepEqual(photos.classes, []);
    assert.equal(photos.counts.labelled, 0);
    assert.equal(photos.counts.unlabelled, fixtureFacts.photos.unlabelled);
    assert.equal(photos.counts.images, fixtureFacts.photos.unlabelled);
    assert.deepEqual(photos.problems, []);
  });
});
