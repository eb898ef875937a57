// The COCO and YOLO subset exports in Export Selection's prompts: offered only for a root of that
// kind, written to a new folder (an existing one is refused by the export, which never overwrites).
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import { detectAnnotationSource } from '../../core/dataset/annotationSource';
import type { SubsetExportMode } from '../../core/jobs/exportSubset';

const DETAILS: Record<SubsetExportMode, { label: string; detail: string }> = {
  coco: { label: 'COCO subset', detail: 'A new folder: the images and annotations/instances_selection.json with their annotations' },
  yolo: { label: 'YOLO subset', detail: 'A new folder: the images, their label files and a data.yaml with the same class ids' },
};

/** The subset export this root allows, as a quick-pick entry (none for a root without annotations). */
export async function subsetModesFor(root: string): Promise<Array<{ mode: SubsetExportMode; label: string; detail: string }>> {
  const source = await detectAnnotationSource(root);
  return source ? [{ mode: source.kind, ...DETAILS[source.kind] }] : [];
}

/** Asks for the new folder's path (it must not exist yet). */
export async function pickSubsetFolder(mode: SubsetExportMode, root: string, near: string): Promise<string | undefined> {
  const saved = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(near, `${basename(root)}-${mode}-selection`)),
    saveLabel: 'Create Folder',
    title: `New folder for the ${DETAILS[mode].label} (it must not exist yet)`,
  });
  return saved?.fsPath;
}
