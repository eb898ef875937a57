import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { QUICK_INPUT, quickRowLabelled, reviewFrame, waitFor } from './reviewFrame';
import { pickRow, runCommandOnRoot } from './quickPicks';

interface SavedItem {
  path: string;
  label: string | null;
  suggestions: Array<{ label: string; p: number }>;
  unknownClass?: boolean;
  pNewClass?: number;
  newClassGroup?: number;
}

/**
 * The digits fixture has labels for 0, 1 and 7 only, and its unlabelled folder holds all ten
 * digits: the case where suggestions used to file a 6 under "0 — 99%". A user runs Suggest Labels,
 * sees the "new class?" chips, opens "Possibly new classes", creates a class from a group with N
 * (and undoes it), then runs Accept Sure Suggestions, which leaves every "new class?" image alone.
 */
export const newClassesFromPalette: E2eTest = {
  name: 'Possibly new classes: "new class?" chips, the grouped view, creating a class from a group (undoable), Accept sure leaves unknown-class images alone',
  timeoutMs: 200_000,
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Compute Embeddings');
    await workbench.waitForToast(/embeddings ready/, 90_000);
    await runCommandOnRoot(workbench, 'Curator: Suggest Labels', fixtureFacts.rootName);
    await pickRow(workbench, /^Partial-label distillation/);
    await workbench.waitForToast(new RegExp(`suggestions for ${fixtureFacts.unlabelledDecodable} unlabelled images`), 60_000);

    const saved = JSON.parse(readFileSync(join(root, '.curator', 'suggestions', 'pll.json'), 'utf8')) as { openSet?: { unknownClassCount: number }; items: SavedItem[] };
    const marked = saved.items.filter((item) => item.label === null && item.unknownClass);
    assert.ok(saved.openSet, 'the result file says how the probabilities were calibrated');
    assert.equal(saved.openSet.unknownClassCount, marked.length);
    // 7 of the 10 digits in the unlabelled folder have no labelled class.
    assert.ok(marked.length >= 3, `some images are marked "new class?" (${marked.length})`);
    for (const item of marked) assert.ok(item.newClassGroup! >= 1 && item.pNewClass! > item.suggestions[0].p, `${item.path}: new class is its likeliest answer`);

    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    const tab = frame.locator('.views [data-view="new-classes"]');
    await waitFor('the Possibly new classes tab with its count', async () => ((await tab.textContent()) ?? '') === `Possibly new classes (${marked.length})`);
    await tab.click();
    await waitFor('the view to show', async () => ((await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '').startsWith('Possibly new classes'));

    // Every tile of the view carries the chip, and belongs to a group of look-alikes.
    const firstTile = frame.locator('#tile-0');
    await firstTile.locator('.chip.new-class').waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await firstTile.locator('.chip.new-class').textContent(), 'new class?');
    const badge = (await firstTile.locator('.badge.group').textContent()) ?? '';
    const size = Number(/^Possibly new class 1 · (\d+)$/.exec(badge)?.[1]);
    assert.ok(size >= 1, badge);
    const largestGroup = marked.filter((item) => item.newClassGroup === 1);
    assert.equal(size, largestGroup.length, 'the first group is the run\'s largest');
    await workbench.screenshot('new-classes-view');

    // N on a tile of the group: name the class, confirm, and the group's files move into its new folder.
    await firstTile.click();
    await waitFor('the create-class button in the details pane', async () => ((await frame.locator('.details .create-class').textContent()) ?? '') === `Create a class from these ${size}…`);
    await frame.locator('.grid[role="grid"]').press('n');
    const input = workbench.page.locator(QUICK_INPUT);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('7');
    await waitFor('the name check to refuse an existing class', async () => ((await workbench.page.locator('.quick-input-message').textContent()) ?? '').includes('already a class'));
    await input.fill('new-digit');
    await workbench.page.keyboard.press('Enter');
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Create the class "new-digit" from the ${size} images of Possibly new class 1`));
    await dialog.locator('.monaco-button').filter({ hasText: 'Create "new-digit"' }).click();
    const moved = (item: SavedItem) => join(root, 'new-digit', basename(item.path));
    await waitFor(`${size} files to move into new-digit/`, async () => largestGroup.every((item) => existsSync(moved(item)) && !existsSync(join(root, item.path))));
    await workbench.screenshot('new-class-created');

    // Undoable like any label change: Ctrl+Z in the panel puts them back.
    await frame.locator('.grid[role="grid"]').press('Control+z');
    await waitFor('the files to move back', async () => largestGroup.every((item) => existsSync(join(root, item.path))), 20_000);
    assert.ok(!existsSync(join(root, 'new-digit')) || readdirSync(join(root, 'new-digit')).length === 0);

    // Accept Sure Suggestions at its lowest threshold: whatever it takes, no "new class?" image is among it.
    const unlabelledNow = saved.items.filter((item) => item.label === null && existsSync(join(root, item.path)));
    const expected = unlabelledNow.filter((item) => !item.unknownClass && item.suggestions[0].p >= 0.5);
    await runCommandOnRoot(workbench, 'Curator: Accept Sure Suggestions', fixtureFacts.rootName);
    const lowest = quickRowLabelled(workbench, 'p ≥ 0.5');
    await lowest.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await workbench.page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '', new RegExp(`${marked.length} "new class\\?" images are never taken`));
    await lowest.click();
    if (expected.length > 0) {
      const acceptDialog = workbench.page.locator('.monaco-dialog-box');
      await acceptDialog.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await acceptDialog.textContent()) ?? '';
      assert.match(text, /Per class: /);
      assert.match(text, new RegExp(`${marked.length} images marked "new class\\?" stay unlabelled`));
      await acceptDialog.locator('.monaco-button').filter({ hasText: `Label ${expected.length} images` }).click();
      await workbench.waitForToast(new RegExp(`labelled ${expected.length} images with their first suggestion`), 20_000);
    } else {
      await workbench.waitForToast(/no unlabelled image has a first suggestion/);
    }
    for (const item of marked) assert.ok(existsSync(join(root, item.path)), `${item.path} ("new class?") stays unlabelled`);
    for (const item of expected) assert.ok(existsSync(join(root, item.suggestions[0].label, basename(item.path))), `${item.path} was filed under ${item.suggestions[0].label}`);
  },
};
