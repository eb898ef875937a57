// `curator label <dir> --from <export.json|annotations.xml> [--allow-new-classes]`: labels from a
// Label Studio JSON export or a "CVAT for images 1.1" XML export, matched to the root's images (see
// core/interop/matchAnnotations.ts). What cannot be used is reported, one line per task or image;
// the rest is written as any `curator label --from` run: journalled, undone with --undo.
// Classes the root does not have are refused unless --allow-new-classes: a typo in the tool's
// labelling configuration should not quietly become a new class folder.
import { extname } from 'node:path';
import type { AnnotationExport } from '../../core/interop/annotatedImages';
import { describeImportPlan, planAnnotationImport, readAnnotationExport, type ImportPlan } from '../../core/interop/importAnnotations';

export { readAnnotationExport };

/** Export files are told by extension here (a changes file is .csv or .jsonl); the content decides which tool. */
export function isAnnotationExportFile(path: string): boolean {
  const extension = extname(path).toLowerCase();
  return extension === '.json' || extension === '.xml';
}

export interface ToolLabels {
  plan: ImportPlan;
  /** One sentence per task or image not used, for stderr. */
  problems: string[];
  summary: string;
}

export async function labelsFromTool(root: string, exported: AnnotationExport, options: { unlabeledFolderName: string; allowNewClasses: boolean; signal: AbortSignal }): Promise<ToolLabels> {
  const plan = await planAnnotationImport(root, exported, options);
  return { plan, problems: plan.problems.map((problem) => problem.message), summary: describeImportPlan(plan) };
}
