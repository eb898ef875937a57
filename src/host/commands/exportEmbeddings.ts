// Curator: Export Embeddings for Python — embeddings.npy + index.csv + meta.json per dataset root.

import * as vscode from 'vscode';
import { join } from 'node:path';
import type { ExportRootEmbeddingsResult } from '../../core/jobs/exportRootEmbeddings';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, modelSource, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';

/** Tests and scripts may pass the root and output folder; users pick them interactively. */
export interface ExportCommandArgs {
  root?: string;
  outDir?: string;
}

export async function exportEmbeddingsCommand(context: CommandContext, args: ExportCommandArgs = {}): Promise<ExportRootEmbeddingsResult | undefined> {
  if (!requireTrust('Exporting embeddings')) return undefined;
  const settings = context.settings();
  const root = args.root ?? (await pickDatasetRoot(context, 'Export which dataset root?', (s) => `${s.counts.images} images`));
  if (!root) return undefined;
  const cacheDir = resolveCacheDir(root, settings.cacheLocation);
  let outDir = args.outDir;
  if (!outDir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(join(cacheDir, 'export')),
      openLabel: 'Export Here',
      title: 'Folder for embeddings.npy and index.csv',
    });
    outDir = picked?.[0]?.fsPath;
    if (!outDir) return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Curator: Exporting embeddings', cancellable: true },
    (_progress, token) =>
      context.engine.call(
        'exportEmbeddings',
        { root, unlabeledFolderName: settings.unlabeledFolderName, cacheDir, model: modelSource(context), outDir: outDir! },
        { signal: abortSignalFor(token) },
      ),
  );
  const missing = result.missing.length > 0 ? ` ${result.missing.length} images have no embedding yet (run Compute Embeddings).` : '';
  context.log.info(`Exported ${result.rows} x ${result.dim} embeddings of ${root} to ${result.outDir}.${missing}`);
  void vscode.window.showInformationMessage(`Curator: exported ${result.rows} embeddings (${result.dim} dims) to ${result.outDir}.${missing}`);
  return result;
}

