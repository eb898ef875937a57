// Which way a dataset root stores labels. The rule matches the scanner's: a labels.csv or
// labels.jsonl at the root makes it a manifest dataset (the CSV wins when both exist), otherwise
// the class is the first folder under the root. A COCO or YOLO root keeps its labels in annotation
// files, which are edited in an annotation tool: writing labels there is refused.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectAnnotationSource } from '../dataset/annotationSource';
import { MANIFEST_FILE_NAMES } from '../dataset/manifestFile';
import type { ManifestKind } from '../dataset/types';

export type LabelStorage = { mode: 'folder' } | { mode: 'manifest'; kind: ManifestKind; manifestPath: string };

export async function detectLabelStorage(root: string): Promise<LabelStorage> {
  for (const kind of ['csv', 'jsonl'] as const) {
    const manifestPath = join(root, MANIFEST_FILE_NAMES[kind]);
    if (await isFile(manifestPath)) return { mode: 'manifest', kind, manifestPath };
  }
  const annotations = await detectAnnotationSource(root);
  if (annotations) {
    throw new Error(
      `${root} is a ${annotations.kind.toUpperCase()} dataset: its labels are the annotations in ${annotations.files.join(', ')}, ` +
        'which Dataset Curator does not rewrite. Edit them in your annotation tool (export the selection with --as ' +
        `${annotations.kind} to send images there), then scan again.`,
    );
  }
  return { mode: 'folder' };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
