// Packaged tier: installs the VSIX that `npm run package` built for this platform into a
// code-server of its own (`--install-extension`, its own extensions and user-data folders) and runs
// the packaged end-to-end test on a workbench opened without any development path, so only the
// installed copy can run.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packagedExtensionTest } from '../e2e/packagedExtension.e2e';
import { startCodeServer } from './codeServer';
import { runE2eTests } from './e2eTier';
import type { TierResult } from './integrationTier';
import { isolatedEnv, type ScratchLayout } from './scratch';
import type { TestTools } from './testTools';

const INSTALL_TIMEOUT_MS = 120_000;
// Scan, embedding the whole fixture and opening the summary, on a busy machine.
const SESSION_TIMEOUT_MS = 150_000;

export async function runPackagedTier(tools: TestTools, layout: ScratchLayout, repoRoot: string): Promise<TierResult[]> {
  const name = 'packaged: install the VSIX into code-server';
  const vsix = vsixForThisPlatform(repoRoot);
  if (!existsSync(vsix)) {
    return [{ name, passed: false, detail: `${vsix} does not exist: run npm run package first` }];
  }
  if (statSync(vsix).mtimeMs < statSync(join(repoRoot, 'dist', 'extension.js')).mtimeMs) {
    console.log(`note: ${vsix} is older than dist/extension.js; this tier tests the VSIX, so run npm run package to test the current code`);
  }

  const root = join(layout.root, 'packaged');
  rmSync(root, { recursive: true, force: true });
  const packagedLayout: ScratchLayout = {
    ...layout,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    logs: join(layout.logs, 'packaged'),
  };
  for (const dir of [packagedLayout.userData, packagedLayout.extensions, packagedLayout.logs]) mkdirSync(dir, { recursive: true });

  let installedDir: string;
  try {
    installedDir = await installVsix(tools.codeServer, vsix, packagedLayout);
  } catch (error) {
    return [{ name, passed: false, detail: error instanceof Error ? error.message : String(error) }];
  }
  console.log(`installed ${vsix}\n  into ${installedDir}`);

  const server = await startCodeServer(tools.codeServer, packagedLayout);
  try {
    return await runE2eTests([packagedExtensionTest(installedDir)], tools.chromium, server, packagedLayout, {
      tier: 'packaged',
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
  } finally {
    await server.stop();
  }
}

/** dist-vsix/<name>-<platform>-<version>.vsix, as scripts/package.mjs names it. */
function vsixForThisPlatform(repoRoot: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, 'dist-vsix', `${manifest.name}-${process.platform}-${process.arch}-${manifest.version}.vsix`);
}

/** Installs with code-server's own CLI, as a user would, and returns the folder it unpacked the extension into. */
async function installVsix(codeServer: string, vsix: string, layout: ScratchLayout): Promise<string> {
  await promisify(execFile)(
    codeServer,
    ['--install-extension', vsix, '--extensions-dir', layout.extensions, '--user-data-dir', layout.userData],
    { env: isolatedEnv(layout), timeout: INSTALL_TIMEOUT_MS },
  );
  const installed = readdirSync(layout.extensions).filter((entry) => entry.startsWith('dataset-curator.dataset-curator-'));
  if (installed.length !== 1) throw new Error(`expected one installed Dataset Curator in ${layout.extensions}, found: ${installed.join(', ') || 'none'}`);
  return join(layout.extensions, installed[0]);
}
