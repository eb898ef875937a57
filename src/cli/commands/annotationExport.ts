// `curator export-selection <dir> --as label-studio|cvat --out <file> [--base <folder>]`: the
// selection as files for an annotation tool. label-studio writes tasks (`--out`, JSON, with the
// newest suggestions as predictions) and the labelling configuration beside them; cvat writes an
// image list (`--out`) and the task's labels beside it. `--base` is the folder the paths are relative
// to: Label Studio's LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT (default: the folder holding the root) or
// CVAT's share (default: the root).
// The labels come back with `curator label <dir> --from <export>` (see label.ts).
import { resolve } from 'node:path';
import type { ExportItem } from '../../core/jobs/exportSelection';
import { ANNOTATION_TOOLS, type AnnotationTool } from '../../core/interop/annotatedImages';
import { exportForAnnotation } from '../../core/interop/exportForAnnotation';
import type { ParsedArgs } from '../args';
import { displayPath, type RootJobContext } from '../context';
import type { ProgressLine } from '../progressLine';

export { ANNOTATION_TOOLS, type AnnotationTool };

export interface AnnotationExportRun extends Pick<RootJobContext, 'dir' | 'root' | 'source'> {
  args: ParsedArgs;
  selectionFile: string;
  items: readonly ExportItem[];
  tool: AnnotationTool;
  out: string;
  progress: ProgressLine;
  signal: AbortSignal;
}

export async function exportForAnnotationCommand(run: AnnotationExportRun): Promise<void> {
  const { args, dir, root, source, tool, out, progress } = run;
  const where = displayPath(dir, root);
  const base = args.values.get('base');
  const result = await exportForAnnotation(root, run.items, tool, out, {
    cacheDir: source.cacheDir,
    unlabeledFolderName: source.unlabeledFolderName,
    ...(base !== undefined ? { base: resolve(base) } : {}),
    signal: run.signal,
    onProgress: (done, total) => progress.update(`${where}: exporting ${done}/${total}`),
  });
  progress.done();
  for (const problem of result.problems) process.stderr.write(`curator: ${problem.message}\n`);
  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ root: where || '.', selectionFile: run.selectionFile, ...result }, null, 2) + '\n');
    return;
  }
  const leftOut = result.problems.length > 0 ? ` (${result.problems.length} left out, see above)` : '';
  if (tool === 'label-studio') {
    process.stdout.write(`${where}: wrote ${result.exported} of ${result.requested} selected images as Label Studio tasks to ${result.out}${leftOut}, ${result.predictions} with a suggestion as prediction\n`);
    process.stdout.write(`${where}: labelling configuration (${result.classes.length} classes) in ${result.companion}\n`);
  } else {
    process.stdout.write(`${where}: wrote ${result.exported} of ${result.requested} selected images as a CVAT image list to ${result.out}${leftOut}\n`);
    process.stdout.write(`${where}: CVAT labels (${result.classes.length} classes) in ${result.companion}\n`);
  }
  if (result.classes.length === 0) process.stderr.write(`curator: ${where} has no classes yet; add the choices to the labelling configuration by hand.\n`);
}
