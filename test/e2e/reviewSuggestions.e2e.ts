import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { decodedThumbnails, QUICK_INPUT, QUICK_ROWS, quickRowLabelled, reviewFrame, switchTheme, waitFor } from './reviewFrame';
import { pickRow, runCommandOnRoot } from './quickPicks';
import type { WorkbenchDriver } from './workbenchDriver';

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
 * A user computes embeddings, runs Suggest Labels, opens the review panel on its Suggestions view,
 * reads the suggestion chips and accepts one with a number key (the file moves into that class),
 * exports the view as CSV from the panel, then groups the unlabelled images and labels a whole
 * cluster with G after confirming the number of files.
 */
export const reviewSuggestionsFromPalette: E2eTest = {
  name: 'Review panel: Suggestions view after Suggest Labels, chips, a number key accepts a suggestion, export, Accept sure… in the panel, label a cluster, dark theme',
  // Embedding the fixture and training the suggestion model come before the panel opens.
  timeoutMs: 200_000,
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Compute Embeddings');
    await workbench.waitForToast(/embeddings ready/, 90_000);

    await runCommandOnRoot(workbench, 'Curator: Suggest Labels', fixtureFacts.rootName);
    await pickRow(workbench, /^Partial-label distillation/);
    await workbench.waitForToast(new RegExp(`suggestions for ${fixtureFacts.unlabelledDecodable} unlabelled images`), 60_000);
    assert.ok(existsSync(join(root, '.curator', 'suggestions', 'pll.json')));

    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    const activeTab = async (): Promise<string> => (await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '';
    // With suggestions saved, the panel opens on them.
    await waitFor('the Suggestions view', async () => (await activeTab()) === `Suggestions (${fixtureFacts.unlabelledDecodable})`);
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 8);

    // Every tile shows its top suggestions as chips with probabilities.
    const firstTile = frame.locator('#tile-0');
    await firstTile.locator('.chip.suggestion').first().waitFor({ state: 'visible' });
    const chipTexts = await firstTile.locator('.chip.suggestion').allTextContents();
    assert.ok(chipTexts.length >= 2 && chipTexts.length <= 3, chipTexts.join(' | '));
    for (const text of chipTexts) assert.match(text, /^(0|1|7) (<1|\d{1,2})%$/, text);
    const chipLabels = await firstTile.locator('.chip.suggestion .suggestion-label').allTextContents();
    const relPath = (await firstTile.getAttribute('title')) ?? '';
    assert.match(relPath, /^unlabeled\/u_\d+\.png$/);

    // The details pane lists every suggestion with the key that accepts it.
    const grid = frame.locator('.grid[role="grid"]');
    await firstTile.click();
    await waitFor('the suggestions in the details pane', async () => (await frame.locator('.details .suggestion-list li').count()) === chipLabels.length);

    // A number key accepts the n-th chip. Use a tile and key whose chip differs from the header's
    // n-th class, so the test tells suggestions from the class-frequency fallback.
    let target: { index: number; key: number; relPath: string; label: string } | undefined;
    for (let index = 0; index < 9 && !target; index++) {
      const labels = await frame.locator(`#tile-${index} .chip.suggestion .suggestion-label`).allTextContents();
      const differing = labels.findIndex((label, i) => label !== fixtureFacts.classes[i]);
      if (differing >= 0) target = { index, key: differing + 1, relPath: (await frame.locator(`#tile-${index}`).getAttribute('title')) ?? '', label: labels[differing] };
    }
    assert.ok(target, 'a tile whose suggestions are not in the header\'s class order');
    await frame.locator(`#tile-${target.index}`).click();
    await workbench.screenshot('review-suggestions-before');
    await grid.press(String(target.key));
    const moved = join(root, target.label, basename(target.relPath));
    await waitFor(`${target.relPath} to move into ${target.label}/ (key ${target.key})`, async () => existsSync(moved) && !existsSync(join(root, target.relPath)));
    await waitFor('the Suggestions count to drop', async () => (await activeTab()) === `Suggestions (${fixtureFacts.unlabelledDecodable - 1})`);

    // Export from the panel: the whole view, in its order, as a CSV list (the same code as Export Selection).
    await frame.locator('#tile-0').click();
    const firstPath = (await frame.locator('#tile-0').getAttribute('title')) ?? '';
    await grid.press('e');
    await pickRow(workbench, /^CSV list/);
    const listFile = join(workspace, 'suggestions.csv');
    await acceptSaveDialog(workbench, 'suggestions.csv', async () => existsSync(listFile));
    const rows = readFileSync(listFile, 'utf8').trim().split(/\r?\n/);
    assert.match(rows[0], /^rank,path,score,label,/);
    assert.equal(rows.length - 1, fixtureFacts.unlabelledDecodable - 1);
    assert.ok(rows[1].startsWith(`1,${firstPath},`), rows[1]);

    await workbench.waitForToast(/exported \d+ of \d+ images of Suggestions/);

    // Accept Sure Suggestions from the panel's button on the Suggestions view (the palette's path is in
    // the Suggest Labels test): the panel follows the moved files.
    const saved = JSON.parse(readFileSync(join(root, '.curator', 'suggestions', 'pll.json'), 'utf8')) as { items: Array<{ path: string; label: string | null; suggestions: Array<{ label: string; p: number }>; unknownClass?: boolean }> };
    const unlabelledNow = saved.items.filter((item) => item.label === null && existsSync(join(root, item.path)));
    // "new class?" images are never accepted in bulk.
    const acceptable = unlabelledNow.filter((item) => !item.unknownClass);
    const chosen = [0.99, 0.95, 0.9, 0.8, 0.7, 0.5]
      .map((threshold) => ({ threshold, count: acceptable.filter((item) => item.suggestions[0]!.p >= threshold).length }))
      .find(({ count }) => count > 0 && count < unlabelledNow.length);
    assert.ok(chosen, 'a threshold that labels some but not all of the unlabelled images');
    // VS Code shows at most three toasts and queues the rest; the earlier steps' toasts (Suggest
    // Labels' "new class?" warning among them) would hide the one this step waits for.
    await workbench.runCommand('Notifications: Clear All Notifications');
    const unlabelledFilesBefore = readdirSync(join(root, 'unlabeled')).length;
    await frame.locator('.header .tools button').filter({ hasText: 'Accept sure…' }).click();
    await quickRowLabelled(workbench, `p ≥ ${chosen.threshold}`).click();
    const acceptDialog = workbench.page.locator('.monaco-dialog-box');
    await acceptDialog.waitFor({ state: 'visible', timeout: 10_000 });
    await acceptDialog.locator('.monaco-button').filter({ hasText: `Label ${chosen.count} images` }).click();
    // The confirmation goes to the notification list; as a toast it can be queued behind earlier
    // ones (VS Code shows three at a time), so it is read from the notification centre.
    const accepted = new RegExp(`labelled ${chosen.count} images with their first suggestion`);
    await waitFor('the files to be labelled', async () => readdirSync(join(root, 'unlabeled')).length < unlabelledFilesBefore);
    await workbench.runCommand('Notifications: Show Notifications');
    await workbench.page.locator('.notifications-center .notification-list-item-message').filter({ hasText: accepted }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await workbench.runCommand('Notifications: Hide Notifications');
    const suggestionsLeft = fixtureFacts.unlabelledDecodable - 1 - chosen.count;
    await waitFor(`the Suggestions count to drop to ${suggestionsLeft}`, async () => (await activeTab()) === `Suggestions (${suggestionsLeft})`);

    // Group the unlabelled images while the panel is open: the Clusters view fills in.
    await runCommandOnRoot(workbench, 'Curator: Group Unlabelled Images', fixtureFacts.rootName);
    await workbench.waitForToast(/groups \(round 1/, 60_000);
    await workbench.runCommand('Curator: Open Review Panel');
    await waitFor('the Clusters view to fill', async () => /^Clusters \([1-9]/.test((await frame.locator('.views [data-view="clusters"]').textContent()) ?? ''));
    await frame.locator('.views [data-view="clusters"]').click();
    await waitFor('cluster tiles', async () => (await frame.locator('#tile-0 .badge.group').count()) === 1);
    await frame.locator('#tile-0').click();
    const badge = (await frame.locator('#tile-0 .badge.group').textContent()) ?? '';
    const size = Number(/· (\d+)$/.exec(badge)?.[1]);
    assert.ok(size >= 1, badge);
    // The details pane gives the cluster's figures and the button that labels the whole cluster.
    await waitFor('the cluster in the details pane', async () => ((await frame.locator('.details .group-action').textContent()) ?? '').startsWith(`Label all ${size} of Cluster`));
    assert.match((await frame.locator('.details .facts').textContent()) ?? '', /cluster size.*consistency/s);

    // G labels the whole cluster: choose the class, then confirm the number of files.
    const unlabelledBefore = readdirSync(join(root, 'unlabeled')).length;
    const sevensBefore = readdirSync(join(root, '7')).length;
    await grid.press('g');
    await workbench.page.locator(QUICK_INPUT).waitFor({ state: 'visible' });
    await workbench.page.locator(QUICK_INPUT).fill('7');
    await workbench.page.locator(QUICK_ROWS).first().waitFor({ state: 'visible' });
    await workbench.page.keyboard.press('Enter');
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Label all ${size} images of Cluster \\d+ as "7"`));
    await workbench.screenshot('review-cluster-confirm');
    await dialog.locator('.monaco-button').filter({ hasText: `Label ${size} images` }).click();
    await waitFor(`${size} files to move into 7/`, async () => readdirSync(join(root, '7')).length === sevensBefore + size && readdirSync(join(root, 'unlabeled')).length === unlabelledBefore - size);

    // The labelled images fill the page whatever the cluster held (the encoder may group every
    // unlabelled image together, leaving the Clusters view empty after G).
    await frame.locator('.views [data-view="labelled"]').click();
    await switchTheme(workbench, 'Dark Modern', 'vs-dark');
    await waitFor('thumbnails after the theme change', async () => (await decodedThumbnails(frame)) >= 8);
    await frame.locator('#tile-0').click();
    await waitFor('details after the theme change', async () => /Label/.test((await frame.locator('.details .facts').textContent()) ?? ''));
    await workbench.screenshot('review-suggestions-dark');
  },
};
