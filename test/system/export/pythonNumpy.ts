// Cross-checks against the reader data scientists actually use. numpy is optional on developer
// machines, so callers skip (and say so) when it cannot be imported.
import { spawnSync } from 'node:child_process';

let numpyAvailable: boolean | undefined;

export function isNumpyAvailable(): boolean {
  numpyAvailable ??= spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  return numpyAvailable;
}

/** Runs a Python snippet with the given arguments (sys.argv[1:]) and parses its stdout as JSON. */
export function runPythonJson<T>(script: string, args: string[]): T {
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export const NUMPY_SKIP_MESSAGE = 'python3 cannot import numpy here; skipping the numpy cross-check (the own-reader checks still ran)';
