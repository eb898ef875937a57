// Quick pick steps the end-to-end tests share.
import { QUICK_ROWS } from './reviewFrame';
import type { WorkbenchDriver } from './workbenchDriver';

/** Picks the quick pick row whose text matches, once it is listed. */
export async function pickRow(workbench: WorkbenchDriver, text: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const row = workbench.page.locator(QUICK_ROWS).filter({ hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/**
 * Runs a palette command that first asks for the dataset root, and picks the root. The workbench
 * gets focus first (keys pressed while the webview has it stay in its frame), and the command runs
 * once more when its quick pick never shows: with the webview just focused, it sometimes closes
 * before it renders.
 */
export async function runCommandOnRoot(workbench: WorkbenchDriver, title: string, root: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await workbench.page.locator('.part.sidebar .composite.title').first().click();
    await workbench.runCommand(title);
    try {
      await pickRow(workbench, new RegExp(`^${root}`), 10_000);
      return;
    } catch (error) {
      if (attempt === 2) throw error;
      process.stdout.write(`  the root quick pick of "${title}" did not show; running it again\n`);
      await workbench.page.keyboard.press('Escape');
    }
  }
}
