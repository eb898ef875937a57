// The extension installed from its VSIX does the main job: scan, compute embeddings, show the
// summary, open the review panel. The packaged tier installs the VSIX into code-server and opens the workbench without a
// development path, so everything here runs from the installed copy, natives and model included.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { fixtureFacts } from '../fixtures/makeDataset';
import { repoRoot } from '../support/paths';
import type { E2eTest } from './e2eTest';

/** The README's screenshot; rewritten only when CURATOR_UPDATE_SCREENSHOTS=1, so test runs leave the tree clean. */
const README_SCREENSHOT = join(repoRoot, 'docs', 'images', 'summary-panel.png');
/** The first screenful of the review grid holds at least this many of the fixture's 24 unlabelled digits. */
const MIN_DECODED_THUMBNAILS = 8;

/** installedDir: the folder code-server unpacked the VSIX into. */
export function packagedExtensionTest(installedDir: string): E2eTest {
  return {
    name: 'The extension installed from its VSIX scans, computes embeddings, shows the summary and the review panel',
    async run({ workbench, workspace }) {
      await workbench.waitForExplorer();

      await workbench.runCommand('Curator: Scan Workspace');
      const scanned = await workbench.waitForToast(/^Curator: .*images/);
      assert.match(scanned, new RegExp(`\\b${fixtureFacts.labelled} labelled\\b`), scanned);

      await workbench.runCommand('Curator: Compute Embeddings');
      const embedded = await workbench.waitForToast(/embeddings ready/, 90_000);
      assert.match(embedded, /\b(CPU|CUDA)\b/, `the toast names the execution provider: ${embedded}`);
      assert.ok(existsSync(join(workspace, fixtureFacts.rootName, '.curator')), 'the embedding cache was written');
      assertEngineRunsFrom(installedDir);

      await workbench.runCommand('Curator: Show Dataset Summary');
      const view = workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const digits = view.locator('section.root').filter({ has: view.locator('h2', { hasText: fixtureFacts.rootName }) });
      const counts = digits.locator('p.counts');
      await counts.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await counts.innerText(), new RegExp(`\\b${fixtureFacts.labelled} labelled\\b.*\\b${fixtureFacts.classes.length} classes\\b`));
      assert.match(await digits.locator('p.embedding').innerText(), /^Embeddings: .+ \(\d+ dims\) on (CPU|CUDA)/);
      assert.equal(await digits.locator('table.histogram tr').count(), fixtureFacts.classes.length, 'one histogram row per class');

      await workbench.screenshot('summary');
      if (process.env.CURATOR_UPDATE_SCREENSHOTS === '1') {
        // The scan and embedding toasts would cover part of the view.
        await workbench.runCommand('Notifications: Clear All Notifications');
        const editor = await workbench.page.locator('.part.editor').boundingBox();
        const content = await view.locator('#app').boundingBox();
        assert.ok(editor && content, 'the summary view is on screen');
        // The editor area, down to just below the view's content (the rest is empty).
        const height = Math.min(editor.height, content.y + content.height + 16 - editor.y);
        await workbench.page.screenshot({ path: README_SCREENSHOT, clip: { ...editor, height }, animations: 'disabled' });
      }

      // The review panel's thumbnails are decoded by the installed engine (sharp) and served to its webview.
      await workbench.runCommand('View: Close All Editors');
      await workbench.runCommand('Curator: Open Review Panel');
      const review = workbench.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await review.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
      await waitUntil('thumbnails to decode', async () => (await decodedThumbnails(review)) >= MIN_DECODED_THUMBNAILS);
      assert.match((await review.locator('.header .counts').textContent()) ?? '', new RegExp(`\\b${fixtureFacts.labelled} labelled\\b`));
      await workbench.screenshot('review');
    },
  };
}

/** Thumbnails the browser actually decoded: the engine made them and the webview's CSP let them in. */
async function decodedThumbnails(frame: FrameLocator): Promise<number> {
  return frame
    .locator('.tile img')
    .evaluateAll((images) => images.map((image) => image as unknown as { complete: boolean; naturalWidth: number }).filter((image) => image.complete && image.naturalWidth > 0).length);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The engine process the extension forked must be the installed copy's dist/engine.js. */
function assertEngineRunsFrom(installedDir: string): void {
  if (process.platform !== 'linux') return; // read from /proc
  const engine = join(installedDir, 'dist', 'engine.js');
  const running = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(engine);
      } catch {
        return false; // the process ended meanwhile
      }
    });
  assert.ok(running, `no engine process runs ${engine}`);
}
