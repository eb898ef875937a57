// The Label Studio and CVAT choices of Export Selection and the review panel's Export button: tasks
// with the newest suggestions as predictions and a labelling configuration, or a CVAT image list and
// labels, written beside each other (core/interop/exportForAnnotation.ts). Paths are relative to the
// folder holding the dataset root for Label Studio (its document root; the root is the local
// storage below it) and to the dataset root for CVAT (its share), as docs/label-studio.md and
// docs/cvat.md set them up. The setting curator.labelStudio.documentRoot names another document
// root, as `curator export-selection --base` does.
import { isAbsolute, resolve } from 'node:path';
import { isWithin } from '../../core/workspace/insideRoot';
import * as vscode from 'vscode';
import type { ExportItem } from '../../core/jobs/exportSelection';
import { ANNOTATION_TOOLS, type AnnotationTool } from '../../core/interop/annotatedImages';
import { exportForAnnotation, type AnnotationExportResult } from '../../core/interop/exportForAnnotation';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, type CommandContext } from '../commandContext';

export type { AnnotationExportResult, AnnotationTool };

export const ANNOTATION_EXPORT_CHOICES: ReadonlyArray<{ mode: AnnotationTool; label: string; detail: string }> = [
  { mode: 'label-studio', label: 'Label Studio tasks', detail: 'Tasks JSON with the suggestions as predictions, and the labelling configuration beside it' },
  { mode: 'cvat', label: 'CVAT image list', detail: 'Image paths, one per line, and the labels JSON for the task' },
];

export function isAnnotationTool(mode: string): mode is AnnotationTool {
  return (ANNOTATION_TOOLS as readonly string[]).includes(mode);
}

/** The save dialog's suggested name and filter for the tasks or list file. */
export function annotationSaveFilters(tool: AnnotationTool, listName: string): { fileName: string; filters: Record<string, string[]> } {
  return tool === 'label-studio' ? { fileName: `${listName}-tasks.json`, filters: { JSON: ['json'] } } : { fileName: `${listName}-cvat-images.txt`, filters: { Text: ['txt'] } };
}

/**
 * The folder Label Studio tasks are written relative to: the setting curator.labelStudio.documentRoot
 * when set (undefined: the export's default, the folder holding the root). Throws, saying what to
 * change, when the setting is not an absolute path or does not hold the root, since Label Studio
 * serves only files below its document root.
 */
export function labelStudioDocumentRoot(context: CommandContext, root: string): string | undefined {
  const setting = context.settings().labelStudioDocumentRoot;
  if (!setting) return undefined;
  const name = 'curator.labelStudio.documentRoot';
  if (!isAbsolute(setting)) throw new Error(`The setting ${name} must be an absolute path (the folder LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT names); it is "${setting}". Nothing was exported.`);
  if (!isWithin(resolve(setting), resolve(root))) {
    throw new Error(
      `The setting ${name} (${setting}) does not hold the dataset root ${root}, and Label Studio serves only files below its document root. ` +
        'Set it to a folder that holds the root, or clear it to use the folder holding the root. Nothing was exported.',
    );
  }
  return setting;
}

export interface AnnotationExportRunOptions {
  what: string;
  /** Label Studio: the document root the paths are relative to (see labelStudioDocumentRoot); default: the folder holding the root. */
  base?: string;
  signal?: AbortSignal;
  onStart?: () => void;
  onProgress?: (done: number, total: number) => void;
}

export async function exportImagesForAnnotation(
  context: CommandContext,
  root: string,
  items: readonly ExportItem[],
  tool: AnnotationTool,
  out: string,
  options: AnnotationExportRunOptions,
): Promise<AnnotationExportResult> {
  const settings = context.settings();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Curator: Exporting ${options.what} for ${tool === 'cvat' ? 'CVAT' : 'Label Studio'}`, cancellable: true },
    (_progress, token) => {
      options.onStart?.();
      const tokenSignal = abortSignalFor(token);
      return exportForAnnotation(root, items, tool, out, {
        base: tool === 'label-studio' ? options.base : undefined,
        cacheDir: resolveCacheDir(root, settings.cacheLocation),
        unlabeledFolderName: settings.unlabeledFolderName,
        signal: options.signal ? AbortSignal.any([tokenSignal, options.signal]) : tokenSignal,
        onProgress: options.onProgress,
      });
    },
  );
  for (const problem of result.problems) context.log.warn(`Export: ${problem.message}`);
  const skipped = result.problems.length > 0 ? ` ${result.problems.length} left out (see the log).` : '';
  const what = tool === 'label-studio' ? `${result.exported} Label Studio tasks (${result.predictions} with a suggestion as prediction)` : `a CVAT list of ${result.exported} images`;
  const beside = tool === 'label-studio' ? 'the labelling configuration' : 'the labels';
  context.log.info(`Exported ${result.exported} of ${result.requested} ${options.what} of ${root} (${tool}) to ${result.out} and ${result.companion}.`);
  void vscode.window.showInformationMessage(`Curator: wrote ${what} to ${result.out}, ${beside} to ${result.companion}.${skipped}`);
  return result;
}
