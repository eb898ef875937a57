import * as assert from 'node:assert/strict';
import { addUnlabelledDigits, fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { decodedThumbnails, reviewFrame, waitFor } from './reviewFrame';

/** Unlabelled digits added to the fixture's digits root, so its unlabelled view is far larger than a page. */
const ADDED = 2_000;
/** Generous bound on the tiles a page of the grid may hold: a few rows in view plus a small margin. */
const MAX_TILES_IN_PAGE = 200;

let lastRelPath = '';

/** The review grid is virtualised: thousands of images in the view, only a page of tiles in the DOM, and scrolling reaches the end. */
export const reviewPanelVirtualised: E2eTest = {
  name: 'Review panel virtualised: a view of 2,024 images keeps only a page of tiles in the DOM and scrolls to the last',
  timeoutMs: 120_000,
  async prepare(workspace) {
    lastRelPath = (await addUnlabelledDigits(workspace, ADDED)).at(-1)!;
  },
  async run({ workbench }) {
    const total = fixtureFacts.unlabelledDecodable + ADDED;
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    const grid = frame.locator('.grid[role="grid"]');
    const tiles = frame.locator('.tile');

    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 60_000 });
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 8, 30_000);
    // The view reports every image...
    const activeTab = (await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '';
    assert.equal(activeTab, `Unlabelled (${total.toLocaleString('en')})`);
    const columns = Number(await grid.getAttribute('aria-colcount'));
    assert.ok(columns >= 1, `aria-colcount ${columns}`);
    assert.equal(Number(await grid.getAttribute('aria-rowcount')), Math.ceil(total / columns));
    // ...while the page holds only the rows in view and a margin.
    const tilesAtTop = await tiles.count();
    assert.ok(tilesAtTop > 0 && tilesAtTop < MAX_TILES_IN_PAGE, `${tilesAtTop} tiles in the DOM for ${total} images`);
    assert.equal(await frame.locator('#tile-0').getAttribute('title'), 'unlabeled/u_000.png');

    // Scrolled to the bottom, the grid shows the last images, and still only a page of tiles.
    await grid.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    const lastTile = frame.locator(`#tile-${total - 1}`);
    await waitFor('the last tile to show the last image', async () => (await lastTile.count()) === 1 && (await lastTile.getAttribute('title')) === lastRelPath, 30_000);
    await waitFor('thumbnails at the end to decode', async () => (await decodedThumbnails(frame)) >= 1, 30_000);
    assert.equal(await frame.locator('#tile-0').count(), 0, 'the first tile left the DOM');
    const tilesAtEnd = await tiles.count();
    assert.ok(tilesAtEnd > 0 && tilesAtEnd < MAX_TILES_IN_PAGE, `${tilesAtEnd} tiles in the DOM at the end of ${total} images`);
    await workbench.screenshot('review-panel-virtualised-end');
  },
};
