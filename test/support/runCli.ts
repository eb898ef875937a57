// Runs the built `curator` CLI (or another built script) as a user would: a separate Node process, output captured.

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
  return runNodeScript(cliPath, args, { ...process.env, XDG_CACHE_HOME: join(workDir, 'xdg') });
}

/** Runs a built script in a separate Node process, as a user would, and captures its output. */
export function runNodeScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
