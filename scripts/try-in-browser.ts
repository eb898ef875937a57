// Runs the extension from this repository in a browser VS Code (code-server) on the demo sample:
//
//   npm run try            then open the printed URL; Ctrl+C stops it.
//
// code-server keeps its settings under .scratch/try/, never in your own VS Code profile.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findTestTools } from '../test/vscode/testTools';
import { workbenchUrl } from '../test/vscode/workbench';

const repoRoot = resolve(__dirname, '..', '..');
const sample = join(repoRoot, 'sample');
const port = Number(process.env.CURATOR_TRY_PORT ?? 8080);

if (!existsSync(join(sample, 'mnist'))) {
  console.error(`No sample at ${sample}: run \`npm run demo\` first.`);
  process.exit(1);
}
const { codeServer } = findTestTools(repoRoot);
const state = join(repoRoot, '.scratch', 'try');
for (const dir of ['user-data', 'extensions']) mkdirSync(join(state, dir), { recursive: true });

const authority = `127.0.0.1:${port}`;
const server = spawn(
  codeServer,
  ['--bind-addr', authority, '--auth', 'none', '--user-data-dir', join(state, 'user-data'), '--extensions-dir', join(state, 'extensions'), '--disable-telemetry', '--disable-update-check'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
server.on('exit', (code) => process.exit(code ?? 0));
process.on('SIGINT', () => server.kill('SIGTERM'));

const url = workbenchUrl(`http://${authority}`, authority, { folder: sample, extensionDevelopmentPath: repoRoot });
console.log(`code-server with Dataset Curator on ${sample}:\n\n  ${url}\n\nRun "Curator: Scan Workspace" from the command palette (F1). Ctrl+C stops the server.`);
