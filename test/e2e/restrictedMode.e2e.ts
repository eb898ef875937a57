// A user opens a folder they have not trusted (Restricted Mode). The extension reads and shows:
// Scan gives the counts and the review panel browses, thumbnails included. It writes nothing into
// the workspace: no label is written in a folder or a manifest dataset (the panel says why, and no
// file moves or changes), no cache folder appears, and the commands that write are not offered.
// And what the folder's own .vscode/settings.json asks for is not done: its model path
// (`curator.model` is machine-scoped, so never read from a workspace) and its dataset roots
// (`curator.datasetRoots` is a restricted setting, ignored until the folder is trusted).
import * as assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fixtureFacts } from '../fixtures/makeDataset';
import { bundledModelDir, repoRoot } from '../support/paths';
import type { E2eTest } from './e2eTest';
import { decodedThumbnails, QUICK_INPUT, QUICK_ROWS, reviewFrame, waitFor } from './reviewFrame';
import type { WorkbenchDriver } from './workbenchDriver';

/** The id of the model the workspace's settings point at; it must never be used. */
const WORKSPACE_MODEL_ID = 'workspace-supplied-model';
/**
 * A manifest dataset beside the fixture's folder datasets: one labelled and one unlabelled image.
 * The images lie in a sub-folder: images directly in a folder would make its parent a root too.
 */
const MANIFEST_ROOT = 'manifest';
const MANIFEST_TEXT = 'path,label\r\nimages/a.png,zero\r\nimages/b.png,\r\n';
const REFUSED = /Labels cannot be written here \(Restricted Mode/;

export const restrictedModeFromPalette: E2eTest = {
  name: 'Restricted Mode: Scan and the review panel read; labels, caches, writing commands and the workspace\'s model and roots are refused',

  async prepare(workspace) {
    // A complete, loadable model (the bundled ONNX under another id), so that only the setting's
    // scope can keep it out, not a broken descriptor.
    const modelDir = join(workspace, 'workspace-model');
    await mkdir(modelDir, { recursive: true });
    await copyFile(join(bundledModelDir, 'model.onnx'), join(modelDir, 'model.onnx'));
    const descriptor = JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(modelDir, 'model.json'), JSON.stringify({ ...descriptor, id: WORKSPACE_MODEL_ID, name: 'Workspace-supplied model' }));
    await mkdir(join(workspace, '.vscode'), { recursive: true });
    await writeFile(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'curator.model': join(modelDir, 'model.json'), 'curator.datasetRoots': [fixtureFacts.photos.rootName] }, null, 2),
    );
    const manifestRoot = join(workspace, MANIFEST_ROOT);
    await mkdir(join(manifestRoot, 'images'), { recursive: true });
    const digits = join(workspace, fixtureFacts.rootName);
    await copyFile(join(digits, 'unlabeled', 'u_000.png'), join(manifestRoot, 'images', 'a.png'));
    await copyFile(join(digits, 'unlabeled', 'u_001.png'), join(manifestRoot, 'images', 'b.png'));
    await writeFile(join(manifestRoot, 'labels.csv'), MANIFEST_TEXT);
  },

  async run({ workbench, workspace }) {
    const page = workbench.page;
    const before = await listTree(workspace);
    await workbench.waitForExplorer();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 15_000 });

    // Reading works, and the workspace's curator.datasetRoots (only photos/) is ignored: all three
    // roots are scanned, the digits with their labelled classes among them.
    await workbench.runCommand('Curator: Scan Workspace');
    const scanned = await workbench.waitForToast(/^Curator: .*images/);
    assert.match(scanned, /\b3 dataset roots\b/, `the workspace's curator.datasetRoots is ignored: ${scanned}`);
    assert.match(scanned, new RegExp(`\\b${fixtureFacts.labelled + 1} labelled\\b`), scanned);
    assert.match(scanned, new RegExp(`\\b${fixtureFacts.classes.length + 1} classes\\b`), scanned);

    // The commands that write into the workspace are not offered; the reading ones are.
    const offered = await paletteCommands(workbench, 'Curator: ');
    assert.deepEqual(offered.sort(), (await commandsWithoutTrust()).sort(), `the palette offers: ${offered.join(', ')}`);

    // The review panel browses the largest root, with thumbnails.
    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 8, 30_000);
    const counts = (await frame.locator('.header .counts').textContent()) ?? '';
    assert.match(counts, new RegExp(`\\b${fixtureFacts.labelled} labelled\\b`), counts);
    assert.match((await frame.locator('.header .notice').textContent()) ?? '', /browsing only/);
    // The model shown is the bundled default: the workspace's curator.model was never read.
    const bundledId = (JSON.parse(await readFile(join(bundledModelDir, 'model.json'), 'utf8')) as { id: string }).id;
    const model = (await frame.locator('.header .model').textContent()) ?? '';
    assert.ok(model.includes(bundledId) && !model.includes(WORKSPACE_MODEL_ID), `the bundled model, not the workspace's: ${model}`);

    // Labelling from the keyboard, and marking as skipped, are refused with the reason.
    const grid = frame.locator('.grid[role="grid"]');
    await frame.locator('#tile-0').click();
    await grid.press('1');
    await waitFor('the refusal in the panel', async () => REFUSED.test((await frame.locator('.status').textContent()) ?? ''));
    await workbench.screenshot('folder-label-refused');
    // Clear the message text only: the status line also holds the Cancel button.
    await frame.locator('.status .status-text').evaluate((text) => (text.textContent = ''));
    await grid.press('Backspace');
    await waitFor('the refusal of the skip mark', async () => REFUSED.test((await frame.locator('.status').textContent()) ?? ''));

    // The same in the manifest dataset.
    await frame.locator('select[aria-label="Dataset root"]').selectOption({ label: MANIFEST_ROOT });
    await waitFor('the manifest root', async () => ((await frame.locator('.header .counts').textContent()) ?? '').startsWith('2 images'));
    // Clear the message text only: the status line also holds the Cancel button.
    await frame.locator('.status .status-text').evaluate((text) => (text.textContent = ''));
    await frame.locator('#tile-0').click();
    await grid.press('Enter');
    await waitFor('the refusal in the manifest root', async () => REFUSED.test((await frame.locator('.status').textContent()) ?? ''));
    await workbench.screenshot('manifest-label-refused');

    // Nothing in the workspace was created, changed, moved or removed: not an image, not
    // labels.csv, not a cache (the thumbnails above live outside the workspace).
    assert.equal(await readFile(join(workspace, MANIFEST_ROOT, 'labels.csv'), 'utf8'), MANIFEST_TEXT);
    assert.deepEqual(await listTree(workspace), before, 'the workspace is exactly as it was');
  },
};

/** The titles of the palette's commands that start with prefix (exact matches only, not "similar commands"). */
async function paletteCommands(workbench: WorkbenchDriver, prefix: string): Promise<string[]> {
  const page = workbench.page;
  await page.keyboard.press('F1');
  await page.locator(QUICK_INPUT).fill(`>${prefix}`);
  await page.locator(QUICK_ROWS).first().waitFor({ state: 'visible' });
  const labels = await page.locator(QUICK_ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  await workbench.screenshot('palette');
  await page.keyboard.press('Escape');
  // A row's label is "<title>, <keybinding or group>": keep the titles.
  return labels.map((label) => label.split(',')[0]!.trim()).filter((title) => title.startsWith(prefix));
}

/** "Curator: <title>" of every contributed command that does not require a trusted workspace. */
async function commandsWithoutTrust(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { commands: Array<{ title: string; category: string; enablement?: string }> };
  };
  return manifest.contributes.commands.filter((command) => command.enablement !== 'isWorkspaceTrusted').map((command) => `${command.category}: ${command.title}`);
}

/** Every file and folder under dir, with size and modification time for files. */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const lines = await Promise.all(
    entries.map(async (entry) => {
      const path = join(entry.parentPath, entry.name);
      if (!entry.isFile()) return `${relative(dir, path)}/`;
      const info = await stat(path);
      return `${relative(dir, path)} ${info.size} ${info.mtimeMs}`;
    }),
  );
  return lines.sort();
}
