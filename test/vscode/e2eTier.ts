// End-to-end tier: each test gets a fresh fixture workspace and a fresh browser session on the
// workbench, with the extension loaded from source or installed from its VSIX, and drives it like a user.
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

/** Where the extension under test comes from, and how results and session folders are named. */
export interface E2eMode {
  /** Prefix of result names and session folders: "e2e", "packaged". */
  tier: string;
  /** Loads the extension from this folder in development mode; absent: the one installed in code-server runs. */
  extensionDevelopmentPath?: string;
  /** How long one UI session may take (default 60 s). */
  sessionTimeoutMs?: number;
}

export async function runE2eTests(
  tests: E2eTest[],
  chromiumPath: string,
  server: CodeServer,
  layout: ScratchLayout,
  mode: E2eMode,
): Promise<TierResult[]> {
  const results: TierResult[] = [];
  for (const [index, test] of tests.entries()) {
    const sessionName = `${mode.tier}-${index + 1}`;
    const started = Date.now();
    process.stdout.write(`\n[${mode.tier}] ${test.name}\n`);
    let failure: string | undefined;
    try {
      await runSession(test, sessionName, chromiumPath, server, layout, mode);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(failure ? `  FAILED after ${seconds} s: ${failure}\n` : `  passed in ${seconds} s\n`);
    const detail = failure === undefined ? `${seconds} s` : failure.split('\n')[0];
    results.push({ name: `${mode.tier}: ${test.name}`, passed: failure === undefined, detail });
  }
  return results;
}

async function runSession(
  test: E2eTest,
  sessionName: string,
  chromiumPath: string,
  server: CodeServer,
  layout: ScratchLayout,
  mode: E2eMode,
): Promise<void> {
  const workspace = join(layout.workspaces, sessionName);
  mkdirSync(workspace, { recursive: true });
  await makeFixtureDataset(workspace);
  await test.prepare?.(workspace, { userDataDir: layout.userData });

  const browser = await launchBrowser(chromiumPath, layout, sessionName);
  const browserLog = join(layout.logs, `${sessionName}-browser.log`);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => appendFileSync(browserLog, `[console ${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(browserLog, `[page error] ${error.stack ?? error.message}\n`));
    const workbench = new WorkbenchDriver(page, layout.screenshots, sessionName);
    await page.goto(workbenchUrl(server.baseUrl, server.authority, { folder: workspace, extensionDevelopmentPath: mode.extensionDevelopmentPath }));

    const timeoutMs = test.timeoutMs ?? mode.sessionTimeoutMs ?? SESSION_TIMEOUT_MS;
    try {
      await Promise.race([
        test.run({ workbench, workspace, userDataDir: layout.userData }),
        delay(timeoutMs).then(() => {
          throw new Error(`the UI session took longer than ${timeoutMs / 1000} s`);
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
