// Scratch folders for one real-VS-Code test run. code-server writes sockets, settings and logs
// into HOME, XDG_* and TMPDIR, so all of them point inside the repository's .scratch/ folder:
// a run never reads or changes the developer's own VS Code state, and every run starts clean.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ScratchLayout {
  root: string;
  home: string;
  tmp: string;
  userData: string;
  extensions: string;
  browserProfiles: string;
  workspaces: string;
  logs: string;
  screenshots: string;
}

/** Recreates every folder under <repo>/.scratch empty, so no state of an earlier run leaks in. */
export function prepareScratch(repoRoot: string): ScratchLayout {
  const root = join(repoRoot, '.scratch');
  const layout: ScratchLayout = {
    root,
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    browserProfiles: join(root, 'browser-profiles'),
    workspaces: join(root, 'workspaces'),
    logs: join(root, 'logs'),
    screenshots: join(root, 'screenshots'),
  };
  for (const [name, dir] of Object.entries(layout)) {
    if (name === 'root') continue;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  return layout;
}

/** Environment for child processes: the caller's, with every per-user location moved into scratch. */
export function isolatedEnv(layout: ScratchLayout): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: layout.home,
    TMPDIR: layout.tmp,
    XDG_CONFIG_HOME: join(layout.home, '.config'),
    XDG_DATA_HOME: join(layout.home, '.local', 'share'),
    XDG_CACHE_HOME: join(layout.home, '.cache'),
    XDG_STATE_HOME: join(layout.home, '.local', 'state'),
    XDG_RUNTIME_DIR: join(layout.tmp, 'runtime'),
    // When the tests are started from a VS Code terminal, these would make code-server talk to that VS Code.
    VSCODE_IPC_HOOK_CLI: undefined,
    ELECTRON_RUN_AS_NODE: undefined,
  };
}
