import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixtureFacts } from '../fixtures/makeDataset';
import { fixtureWorkspace, type EmbeddedRoot, type EmbeddingsResult, type ScanResult } from './workspace';

describe('Curator: Compute Embeddings', () => {
  let rootPath: string;
  let photosPath: string;
  let imagesInRoot: number;

  before(async () => {
    rootPath = join(fixtureWorkspace(), fixtureFacts.rootName);
    photosPath = join(fixtureWorkspace(), fixtureFacts.photos.rootName);
    const scan = await vscode.commands.executeCommand<ScanResult>('curator.scanWorkspace');
    const scanned = scan?.roots.find((root) => root.root === rootPath);
    assert.ok(scanned, `the scan finds ${rootPath}`);
    imagesInRoot = scanned.counts.images;
  });

  /** Runs the command once and returns what it reports for the digits and the photos roots. */
  async function computeForFixture(): Promise<{ digits: EmbeddedRoot; photos: EmbeddedRoot }> {
    const result = await vscode.commands.executeCommand<EmbeddingsResult>('curator.computeEmbeddings');
    assert.ok(result && Array.isArray(result.roots), 'the command returns { roots } (undefined means it failed: see "Curator: Show Log")');
    const byPath = (path: string): EmbeddedRoot => {
      const root = result.roots.find((candidate) => candidate.root === path);
      assert.ok(root, `embeddings for ${path}`);
      return root;
    };
    return { digits: byPath(rootPath), photos: byPath(photosPath) };
  }

  it('embeds every decodable image; files that are not images were left out by the scan', async () => {
    const { digits: first, photos } = await computeForFixture();
    assert.equal(first.embedded, fixtureFacts.decodable);
    assert.equal(first.fromCache, 0);
    assert.deepEqual(first.failed, [], 'the broken files never reach the decoder: the scan reports and excludes them');
    assert.equal(first.images, imagesInRoot);
    assert.ok(first.provider === 'cpu' || first.provider === 'cuda', `provider is cpu or cuda, got ${first.provider}`);
    assert.ok(typeof first.modelId === 'string' && first.modelId.length > 0, 'the model is named');
    assert.ok(existsSync(join(rootPath, '.curator')), 'the cache is written under <root>/.curator/');

    // Full-size PNG and JPEG photographs decode and embed like the small digits.
    assert.deepEqual([photos.embedded, photos.fromCache, photos.failed.length], [fixtureFacts.photos.unlabelled, 0, 0]);
    assert.ok(existsSync(join(photosPath, '.curator')), 'each root has its own cache');
  });

  it('takes everything from the cache the second time', async () => {
    const { digits: second, photos } = await computeForFixture();
    assert.equal(second.embedded, 0);
    assert.equal(second.fromCache, fixtureFacts.decodable);
    assert.deepEqual([photos.embedded, photos.fromCache], [0, fixtureFacts.photos.unlabelled]);
  });
});
