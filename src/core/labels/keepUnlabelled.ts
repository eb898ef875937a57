// Accepting suggestions must not relabel an image someone labelled after the suggestions were
// made. This reads each image's label as it is now (the manifest's row when the root has a
// manifest, else its folder) and keeps only the changes for images that are still unlabelled and
// still at the path the suggestions name.
import { join } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { pathExists } from '../util/pathExists';
import { folderLabelOf } from './folderMovePlan';
import { detectLabelStorage } from './labelMode';
import { ManifestLabelWriter } from './manifestLabelWriter';
import type { LabelChange, RefusedLabelChange } from './types';

export interface UnlabelledChanges {
  kept: LabelChange[];
  /** Changes for images that have a label now: they keep it. */
  refused: RefusedLabelChange[];
}

/**
 * A manifest write later in the same run still merges against the file, so a label written between
 * this read and that write is refused there, not overwritten.
 */
export async function keepUnlabelled(root: string, unlabeledFolderName: string, changes: readonly LabelChange[]): Promise<UnlabelledChanges> {
  const storage = await detectLabelStorage(root);
  const manifest = storage.mode === 'manifest' ? await ManifestLabelWriter.open(root, { unlabeledFolderName }) : undefined;
  const result: UnlabelledChanges = { kept: [], refused: [] };
  // An image labelled since in a folder dataset has moved: its old path is gone, and it must not be counted.
  const present = await Promise.all(changes.map((change) => pathExists(join(root, change.relPath))));
  changes.forEach((change, index) => {
    const path = normaliseManifestPath(change.relPath);
    // A bad path is left for the writer to refuse with its own message.
    const label = !path.ok ? null : manifest ? manifest.currentLabel(path.relPath) : folderLabelOf(path.relPath, unlabeledFolderName);
    if (label !== null && label !== change.label) result.refused.push({ change, reason: `${change.relPath} is labelled "${label}" now; it keeps that label.` });
    else if (path.ok && !present[index]) result.refused.push({ change, reason: `${change.relPath} is no longer there (moved, labelled or deleted since the suggestions were made).` });
    else result.kept.push(change);
  });
  return result;
}
