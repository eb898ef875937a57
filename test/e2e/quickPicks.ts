// Quick pick steps the end-to-end tests share.
import { QUICK_INPUT, QUICK_ROWS, waitFor } from './reviewFrame';
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

/**
 * Accepts the save dialog's proposed path (VS Code in a browser shows it as a quick input). The
 * dialog fills its path in after it opens, and the quick pick before it may still be on screen, so
 * Enter waits for the proposed file name in the box; a press that lands while the dialog is still
 * settling is repeated once the box still shows that name.
 */
export async function acceptSaveDialog(workbench: WorkbenchDriver, fileName: string, written: () => Promise<boolean>): Promise<void> {
  const input = workbench.page.locator(QUICK_INPUT);
  const proposed = async (): Promise<boolean> => (await input.isVisible()) && (await input.inputValue()).endsWith(fileName);
  await waitFor(`the save dialog to propose ${fileName}`, proposed);
  for (let attempt = 1; ; attempt++) {
    await workbench.page.keyboard.press('Enter');
    try {
      await waitFor(`${fileName} to be written`, written, 10_000);
      return;
    } catch (error) {
      const stillProposed = await proposed();
      if (attempt === 2 || !stillProposed) {
        const box = (await input.isVisible()) ? `the quick input shows "${await input.inputValue()}"` : 'no quick input is open';
        throw new Error(`${(error as Error).message} after Enter ${attempt === 1 ? 'once' : 'twice'}; ${box}`);
      }
      process.stdout.write(`  the save dialog was still open on ${fileName}; pressing Enter again\n`);
    }
  }
}

/**
 * Opens a file through the open dialog (a quick input in a browser). The dialog writes its start
 * folder into the box after it opens, which would replace a path typed too early: the path is
 * typed once that folder shows, and typed again before Enter when the box no longer holds it.
 */
export async function chooseFileInOpenDialog(workbench: WorkbenchDriver, path: string, opened: () => Promise<boolean>): Promise<void> {
  const input = workbench.page.locator(QUICK_INPUT);
  await waitFor('the open dialog to show its start folder', async () => (await input.isVisible()) && (await input.inputValue()).endsWith('/'));
  for (let attempt = 1; ; attempt++) {
    await input.fill(path);
    await waitFor(`the open dialog to hold ${path}`, async () => (await input.inputValue()) === path, 5_000);
    await workbench.page.keyboard.press('Enter');
    try {
      await waitFor(`${path} to be opened`, opened, 10_000);
      return;
    } catch (error) {
      const stillOpen = await input.isVisible();
      if (attempt === 2 || !stillOpen) {
        const box = stillOpen ? `the quick input shows "${await input.inputValue()}"` : 'no quick input is open';
        throw new Error(`${(error as Error).message} after Enter ${attempt === 1 ? 'once' : 'twice'}; ${box}`);
      }
      process.stdout.write(`  the open dialog was still open; typing ${path} again\n`);
    }
  }
}
