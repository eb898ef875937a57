// Curator: Export Selection — the newest saved selection of a dataset root (from Select Samples,
// `<cache>/selections/*.json`) as copied or linked image files, or as a CSV / JSON list.
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { loadSelectionItems, newestSelectionFile } from '../../core/results/selectionFiles';
import { exportSelectionTo, type ExportItem, type ExportSelectionMode, type ExportSelectionResult } from '../../core/jobs/exportSelection';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';
import { ANNOTATION_EXPORT_CHOICES, annotationSaveFilters, exportImagesForAnnotation, isAnnotationTool, labelStudioDocumentRoot, type AnnotationExportResult, type AnnotationTool } from './exportForAnnotation';
import { pickSubsetFolder, subsetModesFor } from './exportSubsetModes';

/** Tests and scripts pass these to skip the prompts. `out` is a folder (copy, symlink) or a file (csv, json). */
export interface ExportSelectionArgs {
  root?: string;
  selectionFile?: string;
  mode?: ExportSelectionMode | AnnotationTool;
  out?: string;
}

export type ExportSelectionCommandResult = (ExportSelectionResult | AnnotationExportResult) & { selectionFile: string };

const MODES: ReadonlyArray<{ mode: ExportSelectionMode | AnnotationTool; label: string; detail: string }> = [
  { mode: 'copy', label: 'Copy images', detail: 'Copies into a folder, named <rank>_<file name>' },
  { mode: 'symlink', label: 'Symlink images', detail: 'Links into a folder, named <rank>_<file name>, pointing at the originals' },
  { mode: 'csv', label: 'CSV list', detail: 'rank,path,score,label and the selection’s reasons' },
  { mode: 'json', label: 'JSON list', detail: 'An array of { rank, path, score, label, ... }' },
  ...ANNOTATION_EXPORT_CHOICES,
];

export async function exportSelectionCommand(context: CommandContext, args: ExportSelectionArgs = {}): Promise<ExportSelectionCommandResult | undefined> {
  if (!requireTrust('Exporting a selection')) return undefined;
  const root = args.root ?? (await pickDatasetRoot(context, 'Export a selection of which dataset root?', (s) => `${s.counts.images} images`));
  if (!root) return undefined;
  const selectionFile = args.selectionFile ?? (await newestSelectionFile(resolveCacheDir(root, context.settings().cacheLocation)));
  if (!selectionFile) {
    void vscode.window.showWarningMessage(`Curator: ${vscode.workspace.asRelativePath(root)} has no saved selection yet; run Select Samples first.`);
    return undefined;
  }
  const { items, problems: readProblems } = await loadSelectionItems(selectionFile);
  for (const problem of readProblems) context.log.warn(`${selectionFile}: ${problem}`);

  const result = await exportImages(context, root, items, { mode: args.mode, out: args.out, what: 'selected images' });
  return result ? { ...result, selectionFile } : undefined;
}

export interface ExportImagesOptions {
  /** Asked for when absent. */
  mode?: ExportSelectionMode | AnnotationTool;
  /** A folder (copy, symlink) or a file (csv, json); asked for when absent. */
  out?: string;
  /** What the items are, for the prompts and messages ("selected images"). */
  what: string;
  /** File name offered for a list, without extension (default "selection"). */
  listName?: string;
  /** Cancels the export as the notification's Cancel button does (the review panel has its own). */
  signal?: AbortSignal;
  /** Called once the prompts are answered and the export starts. */
  onStart?: () => void;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Asks how and where to export ranked images, then exports them under a cancellable progress
 * notification and says what was written. Export Selection and the review panel's Export button
 * both come here, so the two offer exactly the same.
 */
export async function exportImages(context: CommandContext, root: string, items: readonly ExportItem[], options: ExportImagesOptions): Promise<ExportSelectionResult | AnnotationExportResult | undefined> {
  const mode = options.mode ?? (await vscode.window.showQuickPick([...MODES, ...(await subsetModesFor(root))], { title: `Export ${items.length} ${options.what} as` }))?.mode;
  if (!mode) return undefined;
  // Checked before the file is asked for, so a misconfigured document root costs no dialog.
  const base = mode === 'label-studio' ? labelStudioDocumentRoot(context, root) : undefined;
  const out = options.out ?? (await pickDestination(mode, root, options.listName ?? 'selection'));
  if (!out) return undefined;
  if (isAnnotationTool(mode)) return exportImagesForAnnotation(context, root, items, mode, out, { ...options, base });

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Curator: Exporting ${options.what}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      const onProgress = (done: number, total: number): void => {
        progress.report({ message: `${done} / ${total}`, increment: total > 0 ? ((done - reported) / total) * 100 : undefined });
        reported = done;
        options.onProgress?.(done, total);
      };
      options.onStart?.();
      const tokenSignal = abortSignalFor(token);
      return exportSelectionTo(root, items, mode, out, { signal: options.signal ? AbortSignal.any([tokenSignal, options.signal]) : tokenSignal, onProgress });
    },
  );
  for (const problem of result.problems) context.log.warn(`Export: ${problem.message}`);
  const skipped = result.problems.length > 0 ? ` ${result.problems.length} left out (see the log).` : '';
  context.log.info(`Exported ${result.exported} of ${result.requested} ${options.what} of ${root} (${mode}) to ${result.out}.`);
  void vscode.window.showInformationMessage(`Curator: exported ${result.exported} of ${result.requested} ${options.what} to ${result.out}.${skipped}`);
  return result;
}

/** Where to write: a folder for files, a new folder for a subset, a new file for a list. Offered next to the root. */
async function pickDestination(mode: ExportSelectionMode | AnnotationTool, root: string, listName: string): Promise<string | undefined> {
  const near = dirname(root);
  if (mode === 'coco' || mode === 'yolo') return pickSubsetFolder(mode, root, near);
  if (mode === 'copy' || mode === 'symlink') {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(near),
      openLabel: 'Export Here',
      title: 'Folder for the selected images (existing files are never overwritten)',
    });
    return picked?.[0]?.fsPath;
  }
  const saved = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(near, isAnnotationTool(mode) ? annotationSaveFilters(mode, listName).fileName : `${listName}.${mode}`)),
    filters: isAnnotationTool(mode) ? annotationSaveFilters(mode, listName).filters : mode === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    title: 'Selection list',
  });
  return saved?.fsPath;
}

