// Where the built artefacts the tests exercise live (tests run from dist/test/...).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Tests are bundled into dist/test/**, at varying depths: walk up to the folder holding esbuild.mjs. */
function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'esbuild.mjs'))) return dir;
  throw new Error(`No repository root above ${start}`);
}

export const repoRoot = findRepoRoot(__dirname);
export const distDir = join(repoRoot, 'dist');
export const enginePath = join(distDir, 'engine.js');
export const cliPath = join(distDir, 'cli.js');
export const bundledModelDir = join(distDir, 'models', 'default');

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `curator-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
