// `npm run test:vscode`: runs the integration, end-to-end and packaged tiers in a real VS Code
// (code-server in headless Chromium) and exits non-zero if any test fails. Everything it
// starts is stopped again, also on errors and Ctrl+C.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { e2eTests } from '../e2e/index';
import { makeFixtureDataset } from '../fixtures/makeDataset';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { runE2eTests } from './e2eTier';
import { runIntegrationTier, type TierResult } from './integrationTier';
import { runPackagedTier } from './packagedTier';
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

  const server = await startCodeServer(tools.codeServer, layout);
  cleanups.push(() => server.stop());
  console.log(`code-server ready at ${server.baseUrl}`);

  const results: TierResult[] = [];
  const tiers = selectedTiers();
  const e2eSelected = e2eTests.filter((test) => !process.env.CURATOR_E2E_GREP || test.name.includes(process.env.CURATOR_E2E_GREP));

  if (tiers.has('integration')) {
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

  if (tiers.has('e2e')) {
    results.push(...(await runE2eTests(e2eSelected, tools.chromium, server, layout, { tier: 'e2e', extensionDevelopmentPath: repoRoot })));
  }

  if (tiers.has('packaged')) {
    console.log('\n[packaged] the VSIX installed into code-server');
    results.push(...(await runPackagedTier(tools, layout, repoRoot)));
  }

  printSummary(results, layout.root);
  return results.every((result) => result.passed) ? 0 : 1;
}

const ALL_TIERS = ['integration', 'e2e', 'packaged'];

/**
 * Tiers to run: all of them, unless CURATOR_TIERS names some (comma-separated). With
 * CURATOR_E2E_GREP, only end-to-end tests whose name contains that text run. Both exist so a
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
