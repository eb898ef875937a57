import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import type { E2eTest } from './e2eTest';
import { reviewFrame, switchTheme, waitFor } from './reviewFrame';

/** The element's text, or '' while it is not there (the webview may be reloading). */
const textOf = async (frame: FrameLocator, selector: string): Promise<string> =>
  (await frame.locator(selector).first().textContent({ timeout: 2_000 }).catch(() => null)) ?? '';

/**
 * WCAG contrast ratio between an element's text colour and the colour behind it (the nearest
 * ancestor with an opaque background). Runs in the webview's document.
 */
async function contrastOf(frame: FrameLocator, selector: string): Promise<number> {
  return frame.locator(selector).first().evaluate((element) => {
    // This runs in the page; the tests compile without the DOM library, hence the narrow types.
    interface PageElement {
      parentElement: PageElement | null;
    }
    const styleOf = (globalThis as unknown as { getComputedStyle(node: PageElement): { color: string; backgroundColor: string } }).getComputedStyle;
    const rgb = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]): number => {
      const channel = (value: number): number => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const foreground = rgb(styleOf(element as PageElement).color);
    let node: PageElement | null = element as PageElement;
    let background = [255, 255, 255];
    while (node) {
      const parts = rgb(styleOf(node).backgroundColor);
      if (parts.length >= 3 && (parts.length < 4 || parts[3] === 1)) {
        background = parts;
        break;
      }
      node = node.parentElement;
    }
    const [lighter, darker] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
    return (lighter + 0.05) / (darker + 0.05);
  });
}

/**
 * A user leaves the panel on some view and image, reloads the window, and finds it as they left
 * it (the serializer plus the webview's saved state); the same after an abrupt page reload (the
 * host's copy of that state); then the panel in a high-contrast theme keeps readable text and a
 * visible focus ring.
 */
export const reviewPanelRestoreAndHighContrast: E2eTest = {
  name: 'Review panel restored after a window reload and a page reload, and readable in high contrast',
  async run({ workbench }) {
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Open Review Panel');
    let frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });

    // Leave the panel on the labelled view with the fourth image focused.
    await frame.locator('.views [data-view="labelled"]').click();
    await waitFor('the labelled view', async () => /^Labelled/.test(await textOf(frame, '.views [role="tab"][aria-selected="true"]')));
    await frame.locator('#tile-3').click();
    const grid = frame.locator('.grid[role="grid"]');
    await waitFor('focus on the fourth tile', async () => (await grid.getAttribute('aria-activedescendant')) === 'tile-3');
    // A tile gets its title when its page of items arrives, which may be after it is drawn.
    await waitFor('the fourth tile to name its image', async () => ((await frame.locator('#tile-3').getAttribute('title')) ?? '').length > 0);
    const focusedPath = (await frame.locator('#tile-3').getAttribute('title')) ?? '';
    await waitFor(`details of ${focusedPath}`, async () => (await textOf(frame, '.details .path')) === focusedPath);
    // The webview saves its state on every change; the workbench persists it when the window closes.
    await workbench.page.locator('.part.sidebar .composite.title').first().click();
    await workbench.runCommand('Developer: Reload Window');
    await workbench.page.waitForEvent('load', { timeout: 30_000 });
    await workbench.waitForExplorer(60_000);
    frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 45_000 });
    await waitFor('the restored view to be Labelled', async () => /^Labelled/.test(await textOf(frame, '.views [role="tab"][aria-selected="true"]')));
    await waitFor(`the restored details to show ${focusedPath}`, async () => (await textOf(frame, '.details .path')) === focusedPath);
    await workbench.screenshot('review-restored');

    // An abrupt page reload (F5 in a browser-hosted VS Code): the workbench may not get to store
    // the webview's state; the host's copy brings the panel back where it was all the same.
    await frame.locator('.views [data-view="unlabelled"]').click();
    await waitFor('the unlabelled view', async () => /^Unlabelled/.test(await textOf(frame, '.views [role="tab"][aria-selected="true"]')));
    await frame.locator('#tile-5').click();
    await waitFor('focus on the sixth tile', async () => (await grid.getAttribute('aria-activedescendant')) === 'tile-5');
    await waitFor('the sixth tile to name its image', async () => ((await frame.locator('#tile-5').getAttribute('title')) ?? '').length > 0);
    const unlabelledPath = (await frame.locator('#tile-5').getAttribute('title')) ?? '';
    await waitFor(`details of ${unlabelledPath}`, async () => (await textOf(frame, '.details .path')) === unlabelledPath);
    // The host writes its copy 200 ms after the last change.
    await workbench.page.waitForTimeout(1_000);
    await workbench.page.reload({ waitUntil: 'load', timeout: 30_000 });
    await workbench.waitForExplorer(60_000);
    frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 45_000 });
    await waitFor('the view after a page reload to be Unlabelled', async () => /^Unlabelled/.test(await textOf(frame, '.views [role="tab"][aria-selected="true"]')));
    await waitFor(`the details after a page reload to show ${unlabelledPath}`, async () => (await textOf(frame, '.details .path')) === unlabelledPath);
    await workbench.screenshot('review-restored-after-page-reload');

    await switchTheme(workbench, 'Dark High Contrast', 'hc-black');
    frame = reviewFrame(workbench);
    await frame.locator('#tile-3').click();
    await waitFor('focus back on the fourth tile', async () => (await grid.getAttribute('aria-activedescendant')) === 'tile-3');
    // WCAG AA for body text is 4.5:1; high-contrast themes should clear it by far.
    // The webview takes the theme's colours a moment after the workbench: read until they settle.
    for (const selector of ['.details .path', '.header .counts', '#tile-3']) {
      let ratio = Number.NaN;
      await waitFor(`${selector} to reach 4.5:1 in the high-contrast theme`, async () => (ratio = await contrastOf(frame, selector)) >= 4.5, 5_000).catch(() => undefined);
      assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)}:1 in the high-contrast theme`);
    }
    const focusRing = await frame.locator('#tile-3').evaluate((tile) => {
      const style = (globalThis as unknown as { getComputedStyle(node: unknown): { outlineStyle: string; outlineColor: string; outlineWidth: string } }).getComputedStyle(tile);
      return { style: style.outlineStyle, color: style.outlineColor, width: style.outlineWidth };
    });
    assert.notEqual(focusRing.style, 'none', `the focused tile has no outline: ${JSON.stringify(focusRing)}`);
    assert.doesNotMatch(focusRing.color, /rgba\(\d+, \d+, \d+, 0\)|transparent/, `the focus outline is invisible: ${JSON.stringify(focusRing)}`);
    await workbench.screenshot('review-high-contrast');
  },
};
