// The review panel on a large dataset, in a real VS Code (code-server in headless Chromium, the
// extension loaded from this repository, as the end-to-end tests run it): time from running
// "Curator: Open Review Panel" to the first decoded thumbnail, and how many grid tiles and DOM
// elements the page holds while scrolling through the whole grid.
//
//   npm run bench:panel [-- --files 100000]
// Needs code-server and Chromium (see README, "Tests"). Writes bench/results/panel.json and panel.md.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { WorkbenchDriver } from '../test/e2e/workbenchDriver';
import { launchBrowser } from '../test/vscode/browser';
import { startCodeServer } from '../test/vscode/codeServer';
import { prepareScratch } from '../test/vscode/scratch';
import { findTestTools } from '../test/vscode/testTools';
import { workbenchUrl } from '../test/vscode/workbench';
import { benchFlag, machineDescription, round } from './benchSupport';
import { ensureLargeDataset } from './largeDataset';

const repo = join(__dirname, '..', '..');
const SCROLL_STEPS = 12;

async function main(): Promise<void> {
  const fileCount = Number(benchFlag('files', '100000'));
  const root = join(benchFlag('dir', join(tmpdir(), 'curator-bench-large')), String(fileCount));
  await ensureLargeDataset(root, fileCount);
  // Thumbnails and file states from an earlier run would make the panel's first page faster than a first use.
  await rm(join(root, '.curator'), { recursive: true, force: true });

  const tools = findTestTools(repo);
  const layout = prepareScratch(repo);
  const server = await startCodeServer(tools.codeServer, layout);
  const browser = await launchBrowser(tools.chromium, layout, 'panel-bench');
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const workbench = new WorkbenchDriver(page, layout.screenshots, 'panel-bench');
    // The dataset folder is the workspace: its class folders and unlabeled/ make it one root.
    await page.goto(workbenchUrl(server.baseUrl, server.authority, { folder: root, extensionDevelopmentPath: repo }));
    await workbench.waitForExplorer(60_000);

    const commandStart = performance.now();
    await workbench.runCommand('Curator: Open Review Panel', 60_000);
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await waitFor('a decoded thumbnail', async () => (await decodedThumbnails(frame)) >= 1, 600_000);
    const firstThumbnailSeconds = (performance.now() - commandStart) / 1000;
    await waitFor('a screenful of thumbnails', async () => (await decodedThumbnails(frame)) >= 8, 120_000);
    const screenfulSeconds = (performance.now() - commandStart) / 1000;
    console.log(`first thumbnail after ${firstThumbnailSeconds.toFixed(1)} s, eight after ${screenfulSeconds.toFixed(1)} s`);

    // Scroll from top to bottom in steps; the grid must keep only the rows in view in the page.
    const grid = frame.locator('.grid');
    const scrollHeight = await grid.evaluate((element) => element.scrollHeight);
    let maxTiles = 0;
    let maxElements = 0;
    for (let step = 0; step <= SCROLL_STEPS; step++) {
      await grid.evaluate((element, top) => (element.scrollTop = top), (scrollHeight * step) / SCROLL_STEPS);
      await page.waitForTimeout(400);
      maxTiles = Math.max(maxTiles, await frame.locator('.tile').count());
      maxElements = Math.max(maxElements, await frame.locator('*').count());
    }
    const counts = ((await frame.locator('.header .counts').textContent()) ?? '').trim();
    await workbench.screenshot('panel-bench-bottom');

    const figures = {
      date: new Date().toISOString(),
      machine: machineDescription(),
      command: `npm run bench:panel -- --files ${fileCount}`,
      files: fileCount,
      panelCounts: counts,
      firstThumbnailSeconds: round(firstThumbnailSeconds),
      eightThumbnailsSeconds: round(screenfulSeconds),
      gridScrollHeightPx: scrollHeight,
      maxTilesInPage: maxTiles,
      maxElementsInPage: maxElements,
    };
    const markdown = `# Review panel on a large dataset

Measured ${figures.date} on ${figures.machine}; code-server ${'4.100.3'} in headless Chromium, the
extension loaded from this repository, no thumbnails cached before the run.
Command: \`${figures.command}\`: ${fileCount.toLocaleString('en')} tiny PNG and JPEG images (the scan benchmark's dataset) opened as the workspace.

| figure | value |
|---|---|
| "Curator: Open Review Panel" to the first decoded thumbnail (palette typing included) | ${figures.firstThumbnailSeconds} s |
| ... to eight decoded thumbnails | ${figures.eightThumbnailsSeconds} s |
| grid height (all rows) | ${scrollHeight.toLocaleString('en')} px |
| most tiles in the page while scrolling top to bottom in ${SCROLL_STEPS} steps | ${maxTiles} |
| most elements in the webview's document meanwhile | ${maxElements} |
| the panel's counts | ${counts} |
`;
    console.log(markdown);
    const outDir = join(repo, 'bench', 'results');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'panel.json'), JSON.stringify(figures, null, 2) + '\n');
    await writeFile(join(outDir, 'panel.md'), markdown);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function decodedThumbnails(frame: FrameLocator): Promise<number> {
  return frame.locator('.tile img').evaluateAll((images) =>
    images.map((image) => image as unknown as { complete: boolean; naturalWidth: number }).filter((image) => image.complete && image.naturalWidth > 0).length,
  ).catch(() => 0);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
