// What a user does in the workbench, expressed with the selectors VS Code 1.100 renders:
// open the command palette, pick a command, read notification toasts, take screenshots.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

const PALETTE_INPUT = '.quick-input-widget .quick-input-box input';
const PALETTE_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
const TOAST_MESSAGES = '.notifications-toasts .notification-list-item-message';
// Commands that throw surface as a modal dialog; failures the extension reports itself, as error toasts.
const ERROR_DIALOG = '.monaco-dialog-box';
const ERROR_TOASTS = '.notifications-toasts .notification-list-item:has(.codicon-error) .notification-list-item-message';

export class WorkbenchDriver {
  private screenshotCount = 0;

  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
    private readonly sessionName: string,
  ) {}

  /** Resolves once the explorer shows the opened folder's files. */
  async waitForExplorer(timeoutMs = 30_000): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /**
   * Runs a command by its palette title ("Curator: Scan Workspace"). Contributed commands
   * reach the palette a few seconds after the explorer renders, so an absent entry is retried.
   */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator(PALETTE_INPUT);
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`);
      const row = this.page.locator(PALETTE_ROWS).filter({ hasText: title }).first();
      const listed = await row.waitFor({ state: 'visible', timeout: 1_500 }).then(
        () => true,
        () => false,
      );
      if (listed && (await this.exactTitleIsFirst(title))) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`"${title}" never appeared in the command palette`);
      await this.page.waitForTimeout(750);
    }
  }

  /** The palette's fuzzy match may list a longer title first; Enter must run the one asked for. */
  private async exactTitleIsFirst(title: string): Promise<boolean> {
    const firstLabel = await this.page.locator(PALETTE_ROWS).first().getAttribute('aria-label');
    return firstLabel !== null && firstLabel.startsWith(title);
  }

  /**
   * The text of the first notification toast that matches; fails after timeoutMs, or at once
   * (quoting it) when an error dialog or an error toast appears instead.
   */
  async waitForToast(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.toasts().filter({ hasText: pattern }).first();
    const failures = [this.page.locator(ERROR_DIALOG).first(), this.page.locator(ERROR_TOASTS).first()];
    const first = await Promise.race([
      toast.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => undefined),
      ...failures.map((failure) =>
        failure.waitFor({ state: 'visible', timeout: timeoutMs }).then(
          () => failure,
          () => new Promise<never>(() => {}), // only the awaited toast's timeout is reported
        ),
      ),
    ]);
    if (first) {
      const text = (await first.innerText()).replace(/\s+/g, ' ').trim();
      throw new Error(`expected a toast matching ${pattern}, got an error: ${text}`);
    }
    return (await toast.textContent()) ?? '';
  }

  /** The text of the first error toast that matches (a failure the extension reports itself); fails after timeoutMs. */
  async waitForErrorToast(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.page.locator(ERROR_TOASTS).filter({ hasText: pattern }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return ((await toast.innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * In an open quick pick, types `filter`, waits for a row whose text matches `row`, returns that
   * row's text and picks it with Enter (the filter puts the best match first).
   */
  async pickQuickPickRow(filter: string, row: RegExp, timeoutMs = 10_000): Promise<string> {
    const input = this.page.locator(PALETTE_INPUT);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(filter);
    const match = this.page.locator(PALETTE_ROWS).filter({ hasText: row }).first();
    await match.waitFor({ state: 'visible', timeout: timeoutMs });
    const text = ((await match.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    await this.page.keyboard.press('Enter');
    return text;
  }

  toasts(): Locator {
    return this.page.locator(TOAST_MESSAGES);
  }

  /** Saves a numbered screenshot of the whole window and returns its path. */
  async screenshot(label: string): Promise<string> {
    this.screenshotCount += 1;
    const name = `${this.sessionName}-${String(this.screenshotCount).padStart(2, '0')}-${label}.png`;
    const path = join(this.screenshotDir, name);
    // Toasts slide in; finishing the transitions shows them where the user reads them.
    await this.page.screenshot({ path, animations: 'disabled' });
    return path;
  }
}
