// The contract between the end-to-end tests and the runner that hosts them: the runner opens a
// fresh fixture workspace in a new browser session, and the test acts on it like a user would.
import type { WorkbenchDriver } from './workbenchDriver';

export interface E2eContext {
  workbench: WorkbenchDriver;
  /** Absolute path of the workspace folder the workbench opened (a fresh fixture dataset). */
  workspace: string;
  /** code-server's --user-data-dir: its User/ and Machine/ settings and the extensions' global storage. */
  userDataDir: string;
}

export interface E2eTest {
  name: string;
  /** Adds to the fresh fixture workspace before the workbench opens it (settings, extra files). */
  prepare?(workspace: string, context: { userDataDir: string }): Promise<void>;
  /** How long this test's UI session may take, when it needs longer than the tier's default. */
  timeoutMs?: number;
  run(context: E2eContext): Promise<void>;
}
