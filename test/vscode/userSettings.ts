// User settings for the test workbench: nothing that opens by itself (welcome page, tips,
// update checks) may cover the notifications the tests read or slow the first paint.
// Workspace Trust is off, except for the Restricted Mode tier, which needs it on with no prompt.
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
  'update.mode': 'none',
  // The fixture workspaces live inside this repository's checkout; Git would offer to open it.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * With trust enabled a folder that was never trusted opens in Restricted Mode. The startup prompt
 * (a modal "Do you trust the authors...?" dialog) would block the workbench, so it is turned off:
 * the folder then stays untrusted until someone trusts it, as after a user chose "Don't Trust".
 */
const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** Writes settings.json where code-server reads user settings: <user-data-dir>/User/. */
export function writeTestUserSettings(userDataDir: string, options: { workspaceTrust: boolean }): void {
  const userDir = join(userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const trust = options.workspaceTrust ? RESTRICTED_MODE_SETTINGS : { 'security.workspace.trust.enabled': false };
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify({ ...TEST_USER_SETTINGS, ...trust }, null, 2));
}
