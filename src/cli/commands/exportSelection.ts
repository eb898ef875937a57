// curator export-selection <dir> --as copy|symlink|csv|json|coco|yolo|label-studio|cvat --out <path>
// [--selection <file.json>] [--base <folder>]: the newest saved selection of a root (from `curator
// select` or Select Samples in the editor), or the one named, as copied or linked image files in a
// folder, as a CSV / JSON list, as a COCO or YOLO subset, or as files for an annotation tool (see annotationExport.ts). The
// same core export as the editor's Export Selection: nothing is overwritten, missing images are reported.
import { resolve } from 'node:path';
import { loadSelectionItems, newestSelectionFile } from '../../core/results/selectionFiles';
import { exportSelectionTo, type ExportSelectionMode } from '../../core/jobs/exportSelection';
import { UsageError, type ParsedArgs } from '../args';
import { displayPath, resolveRootJob } from '../context';
import type { ProgressLine } from '../progressLine';
import { ANNOTATION_TOOLS, exportForAnnotationCommand, type AnnotationTool } from './annotationExport';

export const EXPORT_SELECTION_VALUES = ['as', 'selection', 'base'] as const;
const MODES: ReadonlyArray<ExportSelectionMode | AnnotationTool> = ['copy', 'symlink', 'csv', 'json', 'coco', 'yolo', ...ANNOTATION_TOOLS];

export async function exportSelectionCommand(args: ParsedArgs, progress: ProgressLine, signal: AbortSignal): Promise<void> {
  const mode = args.values.get('as');
  if (!mode) throw new UsageError(`curator export-selection needs --as (${MODES.join('|')}).`);
  if (!(MODES as readonly string[]).includes(mode)) throw new UsageError(`--as must be one of ${MODES.join(', ')} (got "${mode}").`);
  if (args.values.has('base') && !(ANNOTATION_TOOLS as readonly string[]).includes(mode)) throw new UsageError(`--base goes with --as ${ANNOTATION_TOOLS.join(' or --as ')}.`);
  const outText = args.values.get('out');
  if (!outText) throw new UsageError(`curator export-selection needs --out <${['copy', 'symlink', 'coco', 'yolo'].includes(mode) ? 'folder' : 'file'}>.`);
  const out = resolve(outText);
  const { dir, root, source } = await resolveRootJob(args, 'export-selection', signal);

  const named = args.values.get('selection');
  const selectionFile = named ? resolve(named) : await newestSelectionFile(source.cacheDir);
  if (!selectionFile) throw new Error(`${displayPath(dir, root)} has no saved selection yet (none in ${source.cacheDir}); run curator select first.`);
  const { items, problems: readProblems } = await loadSelectionItems(selectionFile);
  for (const problem of readProblems) process.stderr.write(`curator: ${selectionFile}: ${problem}\n`);

  const onProgress = (done: number, total: number): void => progress.update(`${displayPath(dir, root)}: exporting ${done}/${total}`);
  if ((ANNOTATION_TOOLS as readonly string[]).includes(mode)) return exportForAnnotationCommand({ args, dir, root, source, selectionFile, items, tool: mode as AnnotationTool, out, progress, signal });
  const result = await exportSelectionTo(root, items, mode as ExportSelectionMode, out, { signal, onProgress });
  progress.done();
  for (const problem of result.problems) process.stderr.write(`curator: ${problem.message}\n`);

  if (args.switches.has('json')) {
    process.stdout.write(JSON.stringify({ root: displayPath(dir, root) || '.', selectionFile, ...result }, null, 2) + '\n');
    return;
  }
  const leftOut = result.problems.length > 0 ? ` (${result.problems.length} left out, see above)` : '';
  process.stdout.write(`${displayPath(dir, root)}: exported ${result.exported} of ${result.requested} selected images as ${mode} to ${result.out}${leftOut}\n`);
}
