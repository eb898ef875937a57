// Starts an isolated code-server (VS Code in the browser, with a Node extension host) and stops
// it again, together with every extension host it spawned.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isolatedEnv, type ScratchLayout } from './scratch';
import { writeTestUserSettings } from './userSettings';

export interface CodeServer {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** 127.0.0.1:<port>, the authority of vscode-remote:// URIs for files on this machine. */
  authority: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /**
   * Workspace Trust on: folders that were never trusted open in Restricted Mode. Off (the
   * default) for every tier but the Restricted Mode one, so their workbenches can write.
   */
  workspaceTrust?: boolean;
}

const READY_TIMEOUT_MS = 30_000;

export async function startCodeServer(binary: string, layout: ScratchLayout, options: CodeServerOptions = {}): Promise<CodeServer> {
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const workspaceTrust = options.workspaceTrust ?? false;
  writeTestUserSettings(layout.userData, { workspaceTrust });
  const log = createWriteStream(join(layout.logs, 'code-server.log'));
  const child = spawn(
    binary,
    [
      '--bind-addr', authority,
      '--auth', 'none',
      '--user-data-dir', layout.userData,
      '--extensions-dir', layout.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
    ],
    // Its own process group, so stopping it also stops the extension hosts it forks.
    { env: isolatedEnv(layout), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const baseUrl = `http://${authority}`;
  const server: CodeServer = { baseUrl, authority, stop: () => stopProcessGroup(child) };
  try {
    await waitUntilHealthy(baseUrl, child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited during start-up (${child.exitCode ?? child.signalCode}); see .scratch/logs/code-server.log`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer ${baseUrl}/healthz within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const stoppedInTime = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
  if (!stoppedInTime) signalGroup(child.pid, 'SIGKILL');
  // Extension hosts may outlive the server for a moment; make sure none is left behind.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** A TCP port that was free a moment ago; code-server binds it right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
