// `npm run test:vscode`: runs the integration, end-to-end, Restricted Mode and packaged tiers in a real VS Code
// (code-server in headless Chromium) and exits non-zero if any test fails. Everything it
// starts is stopped again, also on errors and Ctrl+C.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { E2eTest } from '../e2e/e2eTest';
import { e2eTests, restrictedModeTests } from '../e2e/index';
import { makeFixtureDataset } from '../fixtures/makeDataset';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { runE2eTests } from './e2eTier';
import { runIntegrationTier, type TierResult } from './integrationTier';
import { runPackagedTier } from './packagedTier';
import { runRestrictedTier } from './restrictedTier';
import { prepareScratch } from './scratch';
import { findTestTools, MissingTestToolsError } from './testTools';

// This file is bundled to dist/test/vscode/run.js.
const repoRoot = resolve(__dirname, '..', '..', '..');

const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    await cleanups.pop()!().catch((error: unknown) => console.error('cleanup failed:', error));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping code-server and Chromium`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const tools = findTestTools(repoRoot);
  const layout = prepareScratch(repoRoot);

  const results: TierResult[] = [];
  const tiers = selectedTiers();
  // The integration and e2e tiers share one code-server; the other tiers start their own.
  const server = tiers.has('integration') || tiers.has('e2e') ? await startCodeServer(tools.codeServer, layout) : undefined;
  if (server) {
    cleanups.push(() => server.stop());
    console.log(`code-server ready at ${server.baseUrl}`);
  }
  const grep = (test: E2eTest): boolean => !process.env.CURATOR_E2E_GREP || test.name.includes(process.env.CURATOR_E2E_GREP);

  if (server && tiers.has('integration')) {
    console.log('\n[integration] mocha inside the extension host');
    const integrationWorkspace = join(layout.workspaces, 'integration');
    mkdirSync(integrationWorkspace, { recursive: true });
    await makeFixtureDataset(integrationWorkspace);
    const browser = await launchBrowser(tools.chromium, layout, 'integration');
    try {
      results.push(await runIntegrationTier(browser, server, layout, repoRoot, integrationWorkspace));
    } finally {
      await browser.close();
    }
  }

  if (server && tiers.has('e2e')) {
    results.push(...(await runE2eTests(e2eTests.filter(grep), tools.chromium, server, layout, { tier: 'e2e', extensionDevelopmentPath: repoRoot })));
  }

  if (tiers.has('restricted')) {
    console.log('\n[restricted] a code-server with Workspace Trust on; the fixture folder opens in Restricted Mode');
    results.push(...(await runRestrictedTier(restrictedModeTests.filter(grep), tools, layout, repoRoot)));
  }

  if (tiers.has('packaged')) {
    console.log('\n[packaged] the VSIX installed into code-server');
    results.push(...(await runPackagedTier(tools, layout, repoRoot)));
  }

  printSummary(results, layout.root);
  return results.every((result) => result.passed) ? 0 : 1;
}

const ALL_TIERS = ['integration', 'e2e', 'restricted', 'packaged'];

/**
 * Tiers to run: all of them, unless CURATOR_TIERS names some (comma-separated). With
 * CURATOR_E2E_GREP, only end-to-end tests (of the e2e and restricted tiers) whose name contains that text run. Both exist so a
 * developer can rerun one slow test; `npm test` sets neither and runs everything.
 */
function selectedTiers(): Set<string> {
  const requested = process.env.CURATOR_TIERS?.split(',').map((tier) => tier.trim()).filter(Boolean);
  if (!requested || requested.length === 0) return new Set(ALL_TIERS);
  const unknown = requested.filter((tier) => !ALL_TIERS.includes(tier));
  if (unknown.length > 0) throw new Error(`CURATOR_TIERS names unknown tiers: ${unknown.join(', ')} (known: ${ALL_TIERS.join(', ')})`);
  return new Set(requested);
}

function printSummary(results: TierResult[], scratchRoot: string): void {
  const failed = results.filter((result) => !result.passed).length;
  console.log('\n──── VS Code test tiers ────');
  for (const result of results) {
    console.log(`${result.passed ? 'PASS' : 'FAIL'}  ${result.name}  (${result.detail})`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed. Logs and screenshots: ${scratchRoot}/{logs,screenshots}`);
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    await cleanUp();
    if (error instanceof MissingTestToolsError) console.error(error.message);
    else console.error('The VS Code test run could not complete:', error);
    process.exit(1);
  });
