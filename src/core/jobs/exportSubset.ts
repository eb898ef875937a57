// Export Selection as a COCO or a YOLO subset (`--as coco`, `--as yolo`): the resolved items of
// exportSelection handed to the subset writers of core/export, the outcome in its result's terms.
import { exportCocoSubset } from '../export/cocoSubset';
import { exportYoloSubset } from '../export/yoloSubset';
import type { SubsetItem, SubsetRunOptions } from '../export/annotatedSubset';

export type SubsetExportMode = 'coco' | 'yolo';

interface SubsetOutcome {
  exported: number;
  files: string[];
  problems: { push(problem: { relPath: string; kind: 'exists'; message: string }): number };
}

/** Writes the subset folder and fills in result (its files, count, and the paths listed twice). */
export async function exportSubsetInto<R extends SubsetOutcome>(root: string, items: readonly SubsetItem[], mode: SubsetExportMode, outDir: string, run: SubsetRunOptions, result: R): Promise<R> {
  const written = mode === 'coco' ? await exportCocoSubset(root, items, outDir, run) : await exportYoloSubset(root, items, outDir, run);
  result.files.push(...written.files);
  result.exported = written.files.length;
  for (const path of written.repeated) result.problems.push({ relPath: path, kind: 'exists', message: `${path} is listed twice in the selection; it was exported once.` });
  return result;
}
