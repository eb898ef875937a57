// What the review panel's end-to-end tests share: the webview's frame, waiting for the effect of a
// key (the webview handles keys asynchronously), and switching the colour theme.
import type { FrameLocator, Locator } from 'playwright-core';
import type { WorkbenchDriver } from './workbenchDriver';

export const QUICK_INPUT = '.quick-input-widget .quick-input-box input';
export const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** The quick pick row whose own label (not its description or detail) is exactly `label`. */
export function quickRowLabelled(workbench: WorkbenchDriver, label: string): Locator {
  const page = workbench.page;
  return page.locator(QUICK_ROWS).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
}

/** The review panel's document inside the webview's two nested frames. */
export function reviewFrame(workbench: WorkbenchDriver): FrameLocator {
  return workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** How many thumbnails the browser actually decoded (the CSP and resource roots let them through). */
export async function decodedThumbnails(frame: FrameLocator): Promise<number> {
  return frame.locator('.tile img').evaluateAll((images) =>
    images.map((image) => image as unknown as { complete: boolean; naturalWidth: number }).filter((image) => image.complete && image.naturalWidth > 0).length,
  );
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function switchTheme(workbench: WorkbenchDriver, theme: string, bodyClass: string): Promise<void> {
  // Keys pressed while the webview has focus stay in its frame: give the workbench focus first.
  await workbench.page.locator('.part.sidebar .composite.title').first().click();
  // The palette's fuzzy match lists "Browse Color Themes in Marketplace" first: click the exact command.
  await workbench.page.keyboard.press('F1');
  await workbench.page.locator(QUICK_INPUT).fill('>Preferences: Color Theme');
  await workbench.page.locator(QUICK_ROWS).filter({ hasText: /^Preferences: Color Theme/ }).first().click();
  const input = workbench.page.locator(QUICK_INPUT);
  await input.fill(theme);
  await workbench.page.locator(QUICK_ROWS).filter({ hasText: theme }).first().waitFor({ state: 'visible' });
  await workbench.page.keyboard.press('Enter');
  await workbench.page.locator(`.monaco-workbench.${bodyClass}`).waitFor({ state: 'attached', timeout: 10_000 });
}
