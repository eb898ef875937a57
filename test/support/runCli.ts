// Runs the built `curator` CLI as a user would: a separate Node process, output captured.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliPath } from './paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `curator <args>` with its download cache (XDG_CACHE_HOME) inside workDir. */
export function runCli(workDir: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, XDG_CACHE_HOME: join(workDir, 'xdg') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
