// Curator: Select Samples to Label through the real `vscode` API: the command returns its result,
// writes the ranking into the cache folder and opens the readable copy.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SelectCommandResult } from '../../src/host/commands/selectSamples';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type EmbeddingsResult } from './workspace';

describe('Curator: Select Samples to Label', () => {
  let root: string;

  before(async () => {
    root = join(fixtureWorkspace(), fixtureFacts.rootName);
    const embedded = await vscode.commands.executeCommand<EmbeddingsResult>('curator.computeEmbeddings');
    assert.ok(embedded?.roots.some((r) => r.root === root), 'the fixture is embedded first');
  });

  it('ranks unlabelled images with FreeSel, writes JSON + Markdown and opens the Markdown', async () => {
    const outcome = await vscode.commands.executeCommand<SelectCommandResult>('curator.selectSamples', { method: 'freesel', budget: 5, seed: 1, root });
    assert.ok(outcome, 'the command returns its result (undefined means it failed: see "Curator: Show Log")');
    const { result, jsonPath, markdownPath } = outcome;
    assert.equal(result.method, 'freesel');
    assert.deepEqual(result.items.map((item) => item.rank), [1, 2, 3, 4, 5]);
    for (const item of result.items) assert.ok(item.path.startsWith(`${fixtureFacts.unlabeledFolderName}/`), `${item.path} is unlabelled`);
    assert.ok(jsonPath.startsWith(join(root, '.curator', 'selections')), jsonPath);
    assert.deepEqual(JSON.parse(readFileSync(jsonPath, 'utf8')).items, result.items);
    assert.ok(existsSync(markdownPath));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, markdownPath, 'the readable ranking is open');
  });

  it('gives the same picks for the same seed, and LPLgrad explains its picks', async () => {
    const again = await vscode.commands.executeCommand<SelectCommandResult>('curator.selectSamples', { method: 'freesel', budget: 5, seed: 1, root });
    const first = await vscode.commands.executeCommand<SelectCommandResult>('curator.selectSamples', { method: 'freesel', budget: 5, seed: 1, root });
    assert.deepEqual(again?.result.items, first?.result.items);
    const lpl = await vscode.commands.executeCommand<SelectCommandResult>('curator.selectSamples', { method: 'lplgrad', budget: 3, seed: 1, root });
    assert.ok(lpl);
    for (const item of lpl.result.items) assert.ok(typeof item.gradNorm === 'number' && typeof item.predictedLoss === 'number');
  });

  it('auto runs the method its rule picks, through the engine, and the readable copy says which and why', async () => {
    const outcome = await vscode.commands.executeCommand<SelectCommandResult>('curator.selectSamples', { method: 'auto', budget: 3, seed: 1, root });
    assert.ok(outcome, 'the command returns its result');
    const { result, markdownPath } = outcome;
    assert.equal(result.method, 'auto');
    assert.ok(result.autoChoice && ['typiclust', 'lplgrad'].includes(result.autoChoice.method), JSON.stringify(result.autoChoice));
    assert.equal(result.items.length, 3);
    assert.match(readFileSync(markdownPath, 'utf8'), /Ran \*\*(TypiClust|LPLgrad)\*\*: .*labelled image/);
  });
});
