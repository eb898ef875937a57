// Which dataset root a command works on: the only one, or the one the user picks, from the last
// scan (scanning quietly when there was none yet).
import * as vscode from 'vscode';
import type { ScanSummary } from '../../core/jobs/scanWorkspace';
import type { CommandContext } from '../commandContext';
import { scanQuietly } from './scanWorkspace';

/** The root to use, or undefined when there is none or the user dismissed the pick. `describe` says what each root holds that matters to this command. */
export async function pickDatasetRoot(context: CommandContext, title: string, describe: (summary: ScanSummary) => string): Promise<string | undefined> {
  const summaries = context.state.lastScan ?? (await scanQuietly(context));
  if (summaries.length === 0) {
    void vscode.window.showWarningMessage('Curator: no dataset roots found. See the README for the folder conventions.');
    return undefined;
  }
  if (summaries.length === 1) return summaries[0]!.root;
  const picked = await vscode.window.showQuickPick(
    summaries.map((summary) => ({ label: vscode.workspace.asRelativePath(summary.root), description: describe(summary), root: summary.root })),
    { title },
  );
  return picked?.root;
}
