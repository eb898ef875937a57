// Decides each image's label: first from its folder, then from the manifest, which overrides
// the folder for every file it lists.
import type { ManifestFile } from './manifestFile';
import type { DatasetProblem, ImageEntry } from './types';

/** Label implied by where the image lies: the first folder under the root names its class. */
export function folderLabel(relPath: string, unlabeledFolderName: string): Pick<ImageEntry, 'label' | 'labelSource'> {
  const slash = relPath.indexOf('/');
  if (slash < 0) return { label: null, labelSource: null };
  const folder = relPath.slice(0, slash);
  if (folder === unlabeledFolderName) return { label: null, labelSource: null };
  return { label: folder, labelSource: 'folder' };
}

/** What the scan knows about files that are not in the image list, to explain manifest rows that match none. */
export interface FileIndex {
  /** NFC keys of every file the walk saw. */
  walked: ReadonlySet<string>;
  /** NFC keys of files named like images but left out (empty, unreadable, not an image). */
  excluded: ReadonlySet<string>;
}

/**
 * Applies manifest rows to the images (mutating their label and labelSource) and returns a
 * problem for each row that matches no image.
 */
export function applyManifestLabels(images: ImageEntry[], manifest: ManifestFile, files: FileIndex): DatasetProblem[] {
  const byKey = new Map(images.map((image) => [image.relPath.normalize('NFC'), image]));
  const problems: DatasetProblem[] = [];
  for (const row of manifest.parsed.rows) {
    const key = row.relPath.normalize('NFC');
    const image = byKey.get(key);
    if (image) {
      image.label = row.label;
      image.labelSource = 'manifest';
      continue;
    }
    const why = files.excluded.has(key)
      ? 'is left out of the dataset (see the problem reported for that file)'
      : files.walked.has(key)
        ? 'is not an image file'
        : 'does not exist (or lies in a skipped folder)';
    problems.push({
      relPath: manifest.relPath,
      kind: 'manifest-unknown-file',
      severity: 'warning',
      line: row.line,
      message: `Line ${row.line}: "${row.relPath}" ${why}; the row is ignored.`,
    });
  }
  return problems;
}
