// Where the review panel reads from and keeps things: the workspace's dataset roots it offers, the
// folders its webview may load from, the host's copy of its state, and the scratch folder used
// while the workspace is not trusted.

import { join } from 'node:path';
import * as vscode from 'vscode';
import { THUMBS_FOLDER } from '../../core/review/cacheLayout';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import type { CommandContext } from '../commandContext';
import { scanQuietly } from '../commands/scanWorkspace';
import { PanelStateBackup } from './panelStateBackup';

/**
 * The roots of the last scan, scanning first when the workspace has not been scanned yet; scanIds
 * only for roots scanned now (not an earlier scan, which may be stale).
 */
export async function scannedRoots(context: CommandContext): Promise<{ roots: string[]; scanIds: Map<string, string> }> {
  const earlier = context.state.lastScan;
  if (earlier) return { roots: earlier.map((scan) => scan.root), scanIds: new Map() };
  const scans = await scanQuietly(context);
  return { roots: scans.map((scan) => scan.root), scanIds: new Map(scans.flatMap((scan) => (scan.scanId ? [[scan.root, scan.scanId] as const] : []))) };
}

/**
 * dist/ and media/ for the app, and each root's thumbnail folders (in its cache, and the scratch
 * folder used while the workspace is not trusted): nothing else can be loaded.
 */
export function resourceRoots(context: CommandContext, roots: string[]): vscode.Uri[] {
  const { extensionUri } = context.extension;
  const cacheLocation = context.settings().cacheLocation;
  const thumbs = roots.flatMap((root) => {
    const scratch = vscode.Uri.file(join(untrustedScratchDir(context, root), THUMBS_FOLDER));
    try {
      return [vscode.Uri.file(join(resolveCacheDir(root, cacheLocation), THUMBS_FOLDER)), scratch];
    } catch {
      return [scratch];
    }
  });
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...thumbs];
}

/** The host's copy of the panel state, in the extension's storage for this workspace. */
export function stateBackupFor(context: CommandContext): PanelStateBackup {
  return new PanelStateBackup(join(workspaceStorageDir(context), 'review-panel-state.json'), (message) => context.log.warn(message));
}

/**
 * Where browsing an untrusted workspace keeps what it makes (the content-hash index, thumbnails):
 * the extension's storage for this workspace, outside the workspace, one folder per root.
 */
export function untrustedScratchDir(context: CommandContext, root: string): string {
  return resolveCacheDir(root, join(workspaceStorageDir(context), 'untrusted-review'));
}

/** The extension's storage for this workspace (the global one when no folder is open). */
function workspaceStorageDir(context: CommandContext): string {
  return (context.extension.storageUri ?? context.extension.globalStorageUri).fsPath;
}
