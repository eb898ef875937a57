// Integration tier: the workbench loads the extension from source and calls the run() of
// dist/test/integration/index.js inside its extension host, exactly as VS Code's own
// extension test runner does. The mocha report arrives through codeAutomationLog and the
// exit code through codeAutomationExit, two hooks the workbench calls when they exist.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { REPORT_MARKER } from '../integration/reportMarker';
import { delay, type CodeServer } from './codeServer';
import type { ScratchLayout } from './scratch';
import { workbenchUrl } from './workbench';

const TIER_TIMEOUT_MS = 240_000;

export interface TierResult {
  name: string;
  passed: boolean;
  detail: string;
}

export async function runIntegrationTier(
  browser: BrowserContext,
  server: CodeServer,
  layout: ScratchLayout,
  repoRoot: string,
  workspace: string,
): Promise<TierResult> {
  const name = 'integration (mocha in the extension host)';
  const browserLog = join(layout.logs, 'integration-browser.log');
  const page = browser.pages()[0] ?? (await browser.newPage());

  let reportExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = args.map(String).join(' ');
    appendFileSync(browserLog, `[automation ${type}] ${text}\n`);
    const reportStart = text.indexOf(REPORT_MARKER);
    if (reportStart >= 0) process.stdout.write(`${text.slice(reportStart + REPORT_MARKER.length)}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  page.on('console', (message) => appendFileSync(browserLog, `[console ${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => appendFileSync(browserLog, `[page error] ${error.stack ?? error.message}\n`));

  const url = workbenchUrl(server.baseUrl, server.authority, {
    folder: workspace,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'dist', 'test', 'integration', 'index.js'),
  });
  await page.goto(url);

  const outcome = await Promise.race([exited, delay(TIER_TIMEOUT_MS).then(() => 'timeout' as const)]);
  await page.screenshot({ path: join(layout.screenshots, 'integration-final.png') }).catch(() => {});
  if (outcome === 'timeout') {
    return { name, passed: false, detail: `no result within ${TIER_TIMEOUT_MS / 1000} s; see ${browserLog}` };
  }
  return { name, passed: outcome === 0, detail: outcome === 0 ? 'all tests passed' : `exit code ${outcome}` };
}
