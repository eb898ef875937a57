import * as assert from 'node:assert/strict';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { decodedThumbnails, QUICK_INPUT, QUICK_ROWS, reviewFrame, switchTheme, waitFor } from './reviewFrame';

/** A user opens the review panel, browses and labels images with the keyboard, undoes a move, in two themes. */
export const reviewPanelFromPalette: E2eTest = {
  name: 'Review panel: thumbnails, keyboard navigation and labelling, quick pick, Undo, a move on disk, light and dark themes',
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);

    // The largest root (digits) opens on its unlabelled images, in path order.
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 8);
    const counts = (await frame.locator('.header .counts').textContent()) ?? '';
    assert.match(counts, new RegExp(`\\b${fixtureFacts.labelled} labelled\\b`), counts);
    assert.match(counts, new RegExp(`\\b${fixtureFacts.unlabelledDecodable} unlabelled\\b`), counts);
    const activeTab = (await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '';
    assert.match(activeTab, /^Unlabelled \(24\)$/);
    // That the grid is virtualised is checked on a view of thousands (reviewPanelVirtualised.e2e.ts).

    // Keyboard: focus moves, the details pane follows it.
    const grid = frame.locator('.grid[role="grid"]');
    await frame.locator('#tile-0').click();
    await waitFor('details of the first image', async () => ((await frame.locator('.details .path').textContent()) ?? '') === 'unlabeled/u_000.png');
    // The webview handles keys asynchronously: wait for what each key does rather than reading at once.
    await grid.press('ArrowRight');
    await waitFor('focus to move to the second tile', async () => (await grid.getAttribute('aria-activedescendant')) === 'tile-1');
    await waitFor('details to follow focus', async () => ((await frame.locator('.details .path').textContent()) ?? '') === 'unlabeled/u_001.png');
    await grid.press('Shift+ArrowRight');
    await waitFor('Shift+arrow to extend the selection to two tiles', async () => (await frame.locator('.tile[aria-selected="true"]').count()) === 2);
    await grid.press('Escape');
    await waitFor('Escape to clear the selection', async () => (await frame.locator('.tile[aria-selected="true"]').count()) === 0);

    // The shortcut list opens from the keyboard and closes again.
    await grid.press('?');
    await frame.locator('.help').waitFor({ state: 'visible' });
    assert.match((await frame.locator('.help').textContent()) ?? '', /Backspace/);
    await workbench.screenshot('review-shortcuts');
    await frame.locator('.help').press('Escape');
    await frame.locator('.help').waitFor({ state: 'hidden' });

    // Another view: the labelled images, grouped by class.
    await frame.locator('.views [data-view="labelled"]').click();
    await waitFor('labelled thumbnails', async () => ((await frame.locator('#tile-0 .chip').textContent()) ?? '') === fixtureFacts.classes[0]);
    await frame.locator('.views [data-view="unlabelled"]').click();
    await waitFor('unlabelled thumbnails again', async () => (await decodedThumbnails(frame)) >= 8);

    // Accept with the keyboard: "1" is the most frequent class (all have 8 images; the tie goes by name).
    const activeTabText = async (): Promise<string> => (await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '';
    await frame.locator('#tile-0').click();
    await grid.press('1');
    await waitFor('u_000.png to move into its class folder', async () => existsSync(join(root, fixtureFacts.classes[0], 'u_000.png')) && !existsSync(join(root, 'unlabeled', 'u_000.png')));
    // The grid updates in place: the image leaves the unlabelled view, the counts follow.
    await waitFor('the unlabelled count to drop', async () => (await activeTabText()) === 'Unlabelled (23)');
    await waitFor('the next image to take its place', async () => ((await frame.locator('#tile-0').getAttribute('title')) ?? '') === 'unlabeled/u_001.png');

    // Relabel through the quick pick, typing a class that does not exist yet.
    await frame.locator('#tile-0').click();
    await grid.press('l');
    const input = workbench.page.locator(QUICK_INPUT);
    await input.waitFor({ state: 'visible' });
    await input.fill('seven');
    await workbench.page.locator(QUICK_ROWS).filter({ hasText: 'new class' }).first().waitFor({ state: 'visible' });
    await workbench.page.keyboard.press('Enter');
    const relabelled = join(root, 'seven', 'u_001.png');
    await waitFor('u_001.png to move into the new class folder', async () => existsSync(relabelled));
    await waitFor('the new class in the header', async () => ((await frame.locator('.histogram').textContent()) ?? '').includes('seven'));

    // Undo in the panel moves the file back.
    await grid.press('Control+z');
    await waitFor('Undo to move u_001.png back', async () => existsSync(join(root, 'unlabeled', 'u_001.png')) && !existsSync(relabelled));
    // The panel follows the undo a moment after the file moves; the counts below start from there.
    await waitFor('the panel to show u_001.png unlabelled again', async () => (await activeTabText()) === 'Unlabelled (23)');

    // A file moved outside the panel (a script, the Explorer, git) shows where it now is, with no refresh asked.
    const unlabelledBefore = await activeTabText();
    const labelledBefore = Number(/(\d+) labelled/.exec((await frame.locator('.header .counts').textContent()) ?? '')?.[1]);
    renameSync(join(root, 'unlabeled', 'u_005.png'), join(root, fixtureFacts.classes[2], 'u_005.png'));
    await waitFor('the panel to see the file moved on disk', async () => ((await frame.locator('.header .counts').textContent()) ?? '').includes(`${labelledBefore + 1} labelled`));
    assert.notEqual(await activeTabText(), unlabelledBefore, 'the unlabelled view lost the moved image');

    await frame.locator('.views [data-view="labelled"]').click();
    await frame.locator('#tile-0').click();
    await workbench.screenshot('review-panel-light');

    await switchTheme(workbench, 'Dark Modern', 'vs-dark');
    await waitFor('thumbnails after the theme change', async () => (await decodedThumbnails(frame)) >= 8);
    await frame.locator('#tile-1').click();
    await workbench.screenshot('review-panel-dark');
  },
};
