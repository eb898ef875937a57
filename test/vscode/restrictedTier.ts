// Restricted Mode tier: a code-server of its own with Workspace Trust on, whose fixture folders
// were never trusted, so every workbench opens in Restricted Mode. The other tiers run with trust
// off and cannot show what the extension does in an untrusted workspace.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eTest } from '../e2e/e2eTest';
import { startCodeServer } from './codeServer';
import { runE2eTests } from './e2eTier';
import type { TierResult } from './integrationTier';
import type { ScratchLayout } from './scratch';
import type { TestTools } from './testTools';

// Scan, the review panel and trying to label, on a busy machine.
const SESSION_TIMEOUT_MS = 120_000;

export async function runRestrictedTier(tests: E2eTest[], tools: TestTools, layout: ScratchLayout, repoRoot: string): Promise<TierResult[]> {
  // Its own user data: trust decisions and settings never mix with the trusting server's.
  const root = join(layout.root, 'restricted');
  rmSync(root, { recursive: true, force: true });
  const restrictedLayout: ScratchLayout = {
    ...layout,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspaces: join(root, 'workspaces'),
    logs: join(layout.logs, 'restricted'),
  };
  for (const dir of [restrictedLayout.userData, restrictedLayout.extensions, restrictedLayout.workspaces, restrictedLayout.logs]) mkdirSync(dir, { recursive: true });

  const server = await startCodeServer(tools.codeServer, restrictedLayout, { workspaceTrust: true });
  try {
    return await runE2eTests(tests, tools.chromium, server, restrictedLayout, {
      tier: 'restricted',
      extensionDevelopmentPath: repoRoot,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
  } finally {
    await server.stop();
  }
}
