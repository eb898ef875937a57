// End-to-end tier: each test gets a fresh fixture workspace and a fresh browser session on the
// workbench with the extension loaded from source, and drives it like a user.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eTest } from '../e2e/e2eTest';
import { WorkbenchDriver } from '../e2e/workbenchDriver';
import { makeFixtureDataset } from '../fixtures/makeDataset';
import { launchBrowser } from './browser';
import { delay, type CodeServer } from './codeServer';
import type { TierResult } from './integrationTier';
import type { ScratchLayout } from './scratch';
import { workbenchUrl } from './workbench';

const SESSION_TIMEOUT_MS = 60_000;

export async function runE2eTests(
  tests: E2eTest[],
  chromiumPath: string,
  server: CodeServer,
  layout: ScratchLayout,
  repoRoot: string,
): Promise<TierResult[]> {
  const results: TierResult[] = [];
  for (const [index, test] of tests.entries()) {
    const sessionName = `e2e-${index + 1}`;
    const started = Date.now();
    process.stdout.write(`\n[e2e] ${test.name}\n`);
    let failure: string | undefined;
    try {
      await runSession(test, sessionName, chromiumPath, server, layout, repoRoot);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(failure ? `  FAILED after ${seconds} s: ${failure}\n` : `  passed in ${seconds} s\n`);
    const detail = failure === undefined ? `${seconds} s` : failure.split('\n')[0];
    results.push({ name: `e2e: ${test.name}`, passed: failure === undefined, detail });
  }
  return results;
}

async function runSession(
  test: E2eTest,
  sessionName: string,
  chromiumPath: string,
  server: CodeServer,
  layout: ScratchLayout,
  repoRoot: string,
): Promise<void> {
  const workspace = join(layout.workspaces, sessionName);
  mkdirSync(workspace, { recursive: true });
  await makeFixtureDataset(workspace);

  const browser = await launchBrowser(chromiumPath, layout, sessionName);
  const browserLog = join(layout.logs, `${sessionName}-browser.log`);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => appendFileSync(browserLog, `[console ${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(browserLog, `[page error] ${error.stack ?? error.message}\n`));
    const workbench = new WorkbenchDriver(page, layout.screenshots, sessionName);
    await page.goto(workbenchUrl(server.baseUrl, server.authority, { folder: workspace, extensionDevelopmentPath: repoRoot }));

    try {
      await Promise.race([
        test.run({ workbench, workspace }),
        delay(SESSION_TIMEOUT_MS).then(() => {
          throw new Error(`the UI session took longer than ${SESSION_TIMEOUT_MS / 1000} s`);
        }),
      ]);
    } catch (error) {
      const shot = await workbench.screenshot('failure').catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(shot ? `${message}\n  screenshot: ${shot}` : message);
    }
  } finally {
    await browser.close();
  }
}
