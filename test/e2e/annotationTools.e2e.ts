import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { acceptSaveDialog, chooseFileInOpenDialog, pickRow, runCommandOnRoot } from './quickPicks';
import { decodedThumbnails, reviewFrame, waitFor } from './reviewFrame';

/**
 * A user exports the review panel's unlabelled images as Label Studio tasks, answers some of them
 * in Label Studio (its JSON export is written here the way Label Studio writes it), reads the
 * answers back with Curator: Import Labels…, checks the dry run's counts, confirms, and undoes;
 * then a broken export is refused with a message that says what is wrong with it.
 */
export const annotationToolsFromPanel: E2eTest = {
  name: 'Annotation tools: the panel exports Label Studio tasks, Import Labels… reads an export back after a dry run, Undo',
  async run({ workbench, workspace }) {
    const root = join(workspace, fixtureFacts.rootName);
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 8);

    // Export the Unlabelled view from the panel for Label Studio.
    const grid = frame.locator('.grid[role="grid"]');
    await frame.locator('#tile-0').click();
    await grid.press('e');
    await pickRow(workbench, /^Label Studio tasks/);
    const tasksFile = join(workspace, 'unlabelled-tasks.json');
    const configFile = join(workspace, 'unlabelled-tasks.label-config.xml');
    await acceptSaveDialog(workbench, 'unlabelled-tasks.json', async () => existsSync(tasksFile) && existsSync(configFile));
    await workbench.waitForToast(new RegExp(`wrote ${fixtureFacts.unlabelledDecodable} Label Studio tasks`));
    const tasks = JSON.parse(readFileSync(tasksFile, 'utf8')) as Array<{ data: { image: string; curator_path: string } }>;
    assert.equal(tasks.length, fixtureFacts.unlabelledDecodable);
    assert.equal(tasks[0].data.image, `/data/local-files/?d=${fixtureFacts.rootName}/unlabeled/u_000.png`);
    const config = readFileSync(configFile, 'utf8');
    for (const name of fixtureFacts.classes) assert.ok(config.includes(`<Choice value="${name}"/>`), config);

    // Label Studio's JSON export after an annotator chose 7 and 1 for two tasks and skipped a third.
    const annotated = (index: number, choices: string[] | 'cancelled') => ({
      id: index + 1,
      data: tasks[index].data,
      annotations: [{ id: 100 + index, was_cancelled: choices === 'cancelled', result: choices === 'cancelled' ? [] : [{ from_name: 'label', to_name: 'image', type: 'choices', value: { choices } }], updated_at: '2026-12-04T12:00:00Z' }],
      predictions: [],
    });
    const exportFile = join(workspace, 'project-1-export.json');
    writeFileSync(exportFile, JSON.stringify([annotated(0, ['7']), annotated(1, ['1']), annotated(2, 'cancelled')]));

    const dialog = workbench.page.locator('.monaco-dialog-box');
    await importLabelsFrom(exportFile, () => dialog.isVisible());
    const summary = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(summary, /3 tasks in the export\. 2 labels to write\. Not used: 1 cancelled/, summary);
    await workbench.screenshot('import-labels-dry-run');
    assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')), 'the dry run moves nothing');
    await dialog.locator('.monaco-button').filter({ hasText: 'Write 2 labels' }).click();
    await waitFor('the two images to move into their classes', async () => existsSync(join(root, '7', 'u_000.png')) && existsSync(join(root, '1', 'u_001.png')));
    await workbench.waitForToast(/imported 2 labels/);

    // One change: Ctrl+Z in the panel puts both back.
    await frame.locator('#tile-0').click();
    await grid.press('Control+z');
    await waitFor('Undo to move both back', async () => existsSync(join(root, 'unlabeled', 'u_000.png')) && existsSync(join(root, 'unlabeled', 'u_001.png')));

    // A broken export: the error names the file and what is wrong with it, and nothing moves.
    const brokenFile = join(workspace, 'project-2-export.json');
    writeFileSync(brokenFile, JSON.stringify([annotated(0, ['7'])]).slice(0, -20));
    await importLabelsFrom(brokenFile, async () => !(await workbench.page.locator('.quick-input-widget').isVisible()));
    const error = await workbench.waitForErrorToast(/project-2-export\.json is not a usable Label Studio JSON export: not JSON/);
    assert.match(error, /Nothing was written\./, error);
    assert.doesNotMatch(error, /\bengine\b|\bat \S+:\d+/i, error); // not an engine failure, no stack
    assert.ok(existsSync(join(root, 'unlabeled', 'u_000.png')), 'a broken export moves nothing');

    async function importLabelsFrom(file: string, opened: () => Promise<boolean>): Promise<void> {
      // Toasts beyond the third wait in the notification centre: earlier ones must not hide the import's.
      await workbench.runCommand('Notifications: Clear All Notifications');
      await runCommandOnRoot(workbench, 'Curator: Import Labels…', fixtureFacts.rootName);
      await chooseFileInOpenDialog(workbench, file, opened);
    }
  },
};
