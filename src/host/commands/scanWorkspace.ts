// Curator: Scan Workspace — find dataset roots, count images per class, list problems.

import * as vscode from 'vscode';
import type { ScanSummary } from '../../core/jobs/scanWorkspace';
import { scanDetails, scanHeadline } from '../../core/report/summaryText';
import { abortSignalFor, workspaceFolderPaths, type CommandContext } from '../commandContext';

export interface ScanCommandResult {
  roots: ScanSummary[];
}

/** Scans without user-facing messages; used by commands that need a fresh scan first. */
export async function scanQuietly(context: CommandContext): Promise<ScanSummary[]> {
  const folders = workspaceFolderPaths();
  if (folders.length === 0) throw new Error('open a folder that holds images first.');
  const settings = context.settings();
  const summaries = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Curator: Scanning', cancellable: true },
    (progress, token) =>
      context.engine.call(
        'scan',
        { folders, explicitRoots: settings.datasetRoots, unlabeledFolderName: settings.unlabeledFolderName },
        { signal: abortSignalFor(token), onProgress: ({ filesSeen }) => progress.report({ message: `${filesSeen.toLocaleString('en')} files` }) },
      ),
  );
  context.state.setScan(summaries);
  for (const summary of summaries) context.log.info(scanDetails(summary, vscode.workspace.asRelativePath(summary.root)));
  return summaries;
}

export async function scanWorkspaceCommand(context: CommandContext): Promise<ScanCommandResult> {
  const summaries = await scanQuietly(context);
  const headline = `Curator: ${scanHeadline(summaries)}.`;
  context.log.info(headline);
  const actions = summaries.length > 0 ? ['Show Summary', 'Show Log'] : ['Show Log'];
  void vscode.window.showInformationMessage(headline, ...actions).then((choice) => {
    if (choice === 'Show Summary') void vscode.commands.executeCommand('curator.showSummary');
    if (choice === 'Show Log') context.log.show();
  });
  return { roots: summaries };
}
