import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { quickRowLabelled } from './reviewFrame';
import type { WorkbenchDriver } from './workbenchDriver';

const QUICK_INPUT = '.quick-input-widget .quick-input-box input';
const QUICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Answers an open quick pick by typing part of a row's text and clicking that row. */
async function pick(workbench: WorkbenchDriver, text: string): Promise<void> {
  const input = workbench.page.locator(QUICK_INPUT);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await workbench.page.locator(QUICK_ROWS).filter({ hasText: text }).first().click({ timeout: 10_000 });
}

/** A user scans, embeds, then asks for label suggestions (a toast with the counts, a report, a result file) and accepts the sure ones. */
export const suggestLabelsFromPalette: E2eTest = {
  name: 'Suggest Labels from the palette after Scan and Compute Embeddings: toast, Markdown report and result file; Accept Sure Suggestions with the counts per threshold',
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();

    await workbench.runCommand('Curator: Scan Workspace');
    await workbench.waitForToast(/^Curator: .*images/);
    await workbench.runCommand('Curator: Compute Embeddings');
    await workbench.waitForToast(/embeddings ready/, 50_000);

    await workbench.runCommand('Curator: Suggest Labels');
    // The fixture has two roots (digits, photos): the command asks which, then which method.
    await pick(workbench, fixtureFacts.rootName);
    await pick(workbench, 'Partial-label distillation');
    const toast = await workbench.waitForToast(/^Curator: suggestions for/, 60_000);
    await workbench.screenshot('suggestions-toast');
    assert.match(toast, new RegExp(`suggestions for ${fixtureFacts.unlabelledDecodable} unlabelled images; \\d+ labelled images look wrong \\(Partial-label distillation\\)`), toast);

    // The engine's result file, with a distribution for every decodable image.
    const resultFile = join(root, '.curator', 'suggestions', 'pll.json');
    assert.ok(existsSync(resultFile), `${resultFile} was written`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as {
      method: string;
      classes: string[];
      items: Array<{ path: string; label: string | null; suggestions: Array<{ label: string; p: number }>; unknownClass?: boolean; pNewClass?: number }>;
    };
    assert.equal(result.method, 'pll');
    assert.deepEqual(result.classes, [...fixtureFacts.classes]);
    assert.equal(result.items.length, fixtureFacts.decodable);
    assert.equal(result.items.filter((item) => item.label === null).length, fixtureFacts.unlabelledDecodable);
    // Three classes: the whole distribution, plus (unlabelled images) the chance of a class without labels.
    for (const item of result.items) assert.ok(Math.abs(item.suggestions.reduce((sum, s) => sum + s.p, 0) + (item.label === null ? item.pNewClass! : 0) - 1) < 1e-3);

    // The readable report opens in an editor beside it.
    const tab = workbench.page.locator('.tabs-container .tab').filter({ hasText: 'pll.md' }).first();
    await tab.waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(existsSync(join(root, '.curator', 'suggestions', 'pll.md')));
    await workbench.screenshot('suggestions-report');

    // Accept Sure Suggestions: every threshold row says how many images it would label, counted
    // from the file just written; the user takes the surest one that labels any, and confirms.
    // "new class?" images are never accepted in bulk.
    const unlabelled = result.items.filter((item) => item.label === null && !item.unknownClass);
    const countAt = (threshold: number): number => unlabelled.filter((item) => item.suggestions[0]!.p >= threshold).length;
    await workbench.runCommand('Curator: Accept Sure Suggestions');
    await pick(workbench, fixtureFacts.rootName);
    const rows = workbench.page.locator(QUICK_ROWS);
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    const offered: Array<{ threshold: number; count: number }> = [];
    for (let i = 0; i < (await rows.count()); i++) {
      // A row's first label is the threshold, its description the count (the detail line below has a label of its own).
      const label = (await rows.nth(i).locator('.label-name').first().textContent()) ?? '';
      const description = (await rows.nth(i).locator('.label-description').first().textContent()) ?? '';
      const threshold = /^p ≥ ([\d.]+)$/.exec(label.trim());
      const count = /^(\d+) images$/.exec(description.trim());
      assert.ok(threshold && count, `a threshold row with its count: ${label} | ${description}`);
      offered.push({ threshold: Number(threshold[1]), count: Number(count[1]) });
    }
    assert.equal(offered.length, 6, 'six thresholds are offered');
    for (const row of offered) assert.equal(row.count, countAt(row.threshold), `p ≥ ${row.threshold}`);
    const chosen = offered.find((row) => row.count > 0);
    assert.ok(chosen, `some threshold labels an image: ${JSON.stringify(offered)}`);
    await workbench.screenshot('accept-suggestions-thresholds');
    await quickRowLabelled(workbench, `p ≥ ${chosen.threshold}`).click();
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Label ${chosen.count} unlabelled images with their first suggestion \\(pll, p ≥ ${chosen.threshold}\\)`));
    await dialog.locator('.monaco-button').filter({ hasText: `Label ${chosen.count} images` }).click();
    await workbench.waitForToast(new RegExp(`labelled ${chosen.count} images with their first suggestion`), 20_000);
    for (const item of unlabelled.filter((entry) => entry.suggestions[0]!.p >= chosen.threshold)) {
      const name = item.path.slice(item.path.lastIndexOf('/') + 1);
      assert.ok(existsSync(join(root, item.suggestions[0]!.label, name)) && !existsSync(join(root, item.path)), `${item.path} moved into ${item.suggestions[0]!.label}/`);
    }
  },
};
