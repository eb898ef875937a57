// User settings for the test workbench: nothing that opens by itself (welcome page, tips,
// update checks) may cover the notifications the tests read or slow the first paint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEST_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  // The fixture workspaces live inside this repository's checkout; Git would offer to open it.
  'git.openRepositoryInParentFolders': 'never',
};

/** Writes settings.json where code-server reads user settings: <user-data-dir>/User/. */
export function writeTestUserSettings(userDataDir: string): void {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(TEST_USER_SETTINGS, null, 2));
}
