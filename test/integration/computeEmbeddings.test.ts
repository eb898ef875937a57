import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type EmbeddedRoot, type EmbeddingsResult, type ScanResult } from './workspace';

describe('Curator: Compute Embeddings', () => {
  let rootPath: string;
  let imagesInRoot: number;

  before(async () => {
    rootPath = join(fixtureWorkspace(), fixtureFacts.rootName);
    const scan = await vscode.commands.executeCommand<ScanResult>('curator.scanWorkspace');
    const scanned = scan?.roots.find((root) => root.root === rootPath);
    assert.ok(scanned, `the scan finds ${rootPath}`);
    imagesInRoot = scanned.counts.images;
  });

  async function computeForFixture(): Promise<EmbeddedRoot> {
    const result = await vscode.commands.executeCommand<EmbeddingsResult>('curator.computeEmbeddings');
    assert.ok(result && Array.isArray(result.roots), 'the command returns { roots } (undefined means it failed: see "Curator: Show Log")');
    const root = result.roots.find((candidate) => candidate.root === rootPath);
    assert.ok(root, `embeddings for ${rootPath}`);
    return root;
  }

  it('embeds every decodable image and counts the broken ones as failed', async () => {
    const first = await computeForFixture();
    assert.equal(first.embedded, fixtureFacts.decodable);
    assert.equal(first.fromCache, 0);
    assert.equal(first.failed, imagesInRoot - fixtureFacts.decodable, 'images the scanner counted but nobody can decode');
    assert.ok(first.provider === 'cpu' || first.provider === 'cuda', `provider is cpu or cuda, got ${first.provider}`);
    assert.ok(typeof first.modelId === 'string' && first.modelId.length > 0, 'the model is named');
    assert.ok(existsSync(join(rootPath, '.curator')), 'the cache is written under <root>/.curator/');
  });

  it('takes everything from the cache the second time', async () => {
    const second = await computeForFixture();
    assert.equal(second.embedded, 0);
    assert.equal(second.fromCache, fixtureFacts.decodable);
  });
});
