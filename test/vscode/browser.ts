// Headless Chromium driven by playwright-core. The system's Chromium is used because
// playwright's own browser download cannot run offline.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { ScratchLayout } from './scratch';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a profile of its own, so one session's workbench state cannot leak into the next. */
export async function launchBrowser(executablePath: string, layout: ScratchLayout, name: string): Promise<BrowserContext> {
  const profileDir = mkdtempSync(join(layout.browserProfiles, `${name}-`));
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: layout.home, TMPDIR: layout.tmp },
  });
}
