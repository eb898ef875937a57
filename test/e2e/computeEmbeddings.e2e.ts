import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';

/** A user computes embeddings: a progress notification while it runs, then a toast, then a cache on disk. */
export const computeEmbeddingsFromPalette: E2eTest = {
  name: 'Compute Embeddings from the palette reports progress, then embeddings ready',
  async run({ workbench, workspace }) {
    await workbench.waitForExplorer();
    const cacheDir = join(workspace, fixtureFacts.rootName, '.curator');
    assert.equal(existsSync(cacheDir), false, 'a fresh fixture has no cache yet');

    await workbench.runCommand('Curator: Compute Embeddings');
    await workbench.waitForToast(/Curator: Computing embeddings/, 15_000);
    await workbench.screenshot('embedding-progress');

    const done = await workbench.waitForToast(/embeddings ready/, 50_000);
    await workbench.screenshot('embeddings-ready');
    assert.match(done, /\b(CPU|CUDA)\b/, `the toast names the execution provider: ${done}`);

    assert.ok(existsSync(cacheDir), `the embedding cache exists at ${cacheDir}`);
  },
};
