// Where the tools the real-VS-Code tiers need are, and what to do when one is missing.
// Neither belongs in package.json: code-server is 300 MB of test tooling with its own Node
// constraints, and Chromium comes from the system's package manager.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

export interface TestTools {
  codeServer: string;
  chromium: string;
}

/** Paths of code-server and Chromium, or an error that says how to install what is missing. */
export function findTestTools(repoRoot: string): TestTools {
  const cacheDir = process.env.CURATOR_TEST_CACHE ?? join(homedir(), '.cache', 'dataset-curator-test');
  const codeServer =
    process.env.CURATOR_CODE_SERVER ??
    join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  const chromium = process.env.CURATOR_CHROMIUM ?? '/usr/bin/chromium';

  const missing: string[] = [];
  if (!existsSync(codeServer)) {
    missing.push(`code-server ${CODE_SERVER_VERSION} not found at ${codeServer}\n    install it with: ${join(repoRoot, 'scripts', 'install-code-server.sh')}`);
  }
  if (!existsSync(chromium)) {
    missing.push(`Chromium not found at ${chromium}\n    install it with: sudo apt-get install chromium  (or set CURATOR_CHROMIUM)`);
  }
  if (missing.length > 0) {
    throw new MissingTestToolsError(`The VS Code test tiers need tools that are not installed:\n  ${missing.join('\n  ')}`);
  }
  return { codeServer, chromium };
}

export class MissingTestToolsError extends Error {}
