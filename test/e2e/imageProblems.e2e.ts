import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { reviewFrame, waitFor } from './reviewFrame';
import { runCommandOnRoot } from './quickPicks';

/**
 * A user computes embeddings, runs Find Image Problems on the digits root (to which two odd images
 * were added: a digit blown up ten times, and one squeezed into a strip), and finds both in the
 * review panel's "Image problems" view, each tile with its kind on a badge and its score. After a
 * window reload the dataset summary still shows the counts per kind, read from the run's result
 * file, and that the embeddings are cached.
 */
export const imageProblemsFromPalette: E2eTest = {
  name: 'Find Image Problems from the palette, the review panel\'s Image problems view with kinds and scores on the tiles, and the summary\'s counts after a reload',
  timeoutMs: 200_000,
  async prepare(workspace) {
    const digit = join(workspace, fixtureFacts.rootName, fixtureFacts.classes[0], '0_000.png');
    const unlabelled = join(workspace, fixtureFacts.rootName, fixtureFacts.unlabeledFolderName);
    await sharp(digit).resize(280, 280, { kernel: 'nearest' }).png().toFile(join(unlabelled, 'big-digit.png'));
    await sharp(digit).resize(112, 28, { fit: 'fill' }).png().toFile(join(unlabelled, 'strip-digit.png'));
  },
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Compute Embeddings');
    await workbench.waitForToast(/embeddings ready/, 90_000);
    await runCommandOnRoot(workbench, 'Curator: Find Image Problems', fixtureFacts.rootName);
    await workbench.waitForToast(/image problems? in \d+ images/, 60_000);

    const saved = JSON.parse(readFileSync(join(root, '.curator', 'suggestions', 'image-problems.json'), 'utf8')) as {
      findings: Array<{ path: string; kind: string; score: number }>;
      counts: Record<string, number>;
      modelId: string;
    };
    const kindsOf = (path: string): string[] => saved.findings.filter((f) => f.path === path).map((f) => f.kind);
    assert.ok(kindsOf('unlabeled/big-digit.png').includes('odd-size'), JSON.stringify(saved.findings));
    assert.ok(kindsOf('unlabeled/strip-digit.png').includes('odd-aspect-ratio'), JSON.stringify(saved.findings));
    const imagesWithFindings = new Set(saved.findings.map((f) => f.path)).size;

    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    const tab = frame.locator('.views [data-view="image-problems"]');
    await waitFor('the Image problems tab with its count', async () => ((await tab.textContent()) ?? '') === `Image problems (${imagesWithFindings})`);
    await tab.click();
    await waitFor('the view to show', async () => ((await frame.locator('.views [role="tab"][aria-selected="true"]').textContent()) ?? '').startsWith('Image problems'));

    for (const [file, kind] of [['unlabeled/big-digit.png', 'odd-size'], ['unlabeled/strip-digit.png', 'odd-aspect-ratio']] as const) {
      const tile = frame.locator(`.tile[title="${file}"]`);
      await tile.waitFor({ state: 'visible', timeout: 15_000 });
      assert.ok(((await tile.locator('.badge.tag').textContent()) ?? '').includes(kind), `${file} shows ${kind}`);
      const score = Number(await tile.locator('.score').textContent());
      assert.ok(score > 0 && score <= 1, `${file}: score ${score}`);
    }
    await workbench.screenshot('image-problems-view');

    // A new window knows nothing of the run but its result file: the summary reads the counts from it.
    await workbench.runCommand('View: Close All Editors');
    await workbench.page.locator('.part.sidebar .composite.title').first().click();
    await workbench.runCommand('Developer: Reload Window');
    await workbench.page.waitForEvent('load', { timeout: 30_000 });
    await workbench.waitForExplorer(60_000);
    await workbench.runCommand('Curator: Show Dataset Summary');
    await workbench.runCommand('Curator: Scan Workspace');
    const summary = reviewFrame(workbench);
    const counts = summary.locator('table.image-problem-counts');
    await counts.waitFor({ state: 'visible', timeout: 45_000 });
    const shown: Record<string, number> = {};
    for (const row of await counts.locator('tr').all()) shown[(await row.locator('th').textContent()) ?? ''] = Number(await row.locator('td').textContent());
    assert.deepEqual(shown, saved.counts);
    assert.match((await summary.locator('.image-problem-run').textContent()) ?? '', /^From the run of \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    // Nor of the embeddings but the cache they are in.
    assert.match((await summary.locator('.embedding').first().textContent()) ?? '', new RegExp(`the cache holds embeddings of ${saved.modelId} \\(last written`));
    await workbench.screenshot('summary-image-problems-after-reload');
  },
};
