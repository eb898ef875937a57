// Labels back from an annotation tool: the export file is read whole and checked (a Label Studio
// JSON export or a "CVAT for images 1.1" XML export, told apart by content), then matched to the
// root's scanned images. Nothing is written here: the plan's changes go through the same label
// writing as everything else (`curator label`'s journalled run, the editor's label service), so one
// undo puts them back. A file that cannot be read as either format throws before anything is planned.
// The editor runs readAndPlanAnnotationImport in the engine process: a 100,000-task export parses
// for seconds and a big root scans for longer, which would stall the extension host.
import { readFile } from 'node:fs/promises';
import { scanDataset } from '../dataset';
import { throwIfAborted } from '../util/abort';
import { MalformedExportError, type AnnotationExport } from './annotatedImages';
import { readCvatExport } from './cvatFormat';
import { readLabelStudioExport } from './labelStudioFormat';
import { matchAnnotations, type ImportPlan } from './matchAnnotations';

export type { ImportPlan, ImportProblem, ImportProblemKind } from './matchAnnotations';

/** Exports larger than this are refused rather than read into memory (a 100,000-task export is about 100 MB). */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** Whether `text` is an annotation export this reads: JSON (Label Studio) or XML (CVAT), by its first character. */
export function annotationExportKind(text: string): 'label-studio' | 'cvat' | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[') || start.startsWith('{')) return 'label-studio';
  if (start.startsWith('<')) return 'cvat';
  return undefined;
}

/** Parses an export's text; throws MalformedExportError (naming `name`) when it is neither format or broken. */
export function parseAnnotationExport(text: string, name: string): AnnotationExport {
  const kind = annotationExportKind(text);
  try {
    if (kind === 'label-studio') return readLabelStudioExport(text);
    if (kind === 'cvat') return readCvatExport(text);
  } catch (error) {
    if (error instanceof MalformedExportError) throw new MalformedExportError(`${name} is not a usable ${kind === 'cvat' ? 'CVAT for images 1.1 XML' : 'Label Studio JSON'} export: ${error.message}. Nothing was written.`);
    throw error;
  }
  throw new MalformedExportError(`${name} is neither a Label Studio JSON export nor a CVAT for images 1.1 XML export. Nothing was written.`);
}

export async function readAnnotationExport(path: string, signal?: AbortSignal): Promise<AnnotationExport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path, { signal });
  } catch (error) {
    throwIfAborted(signal);
    throw new Error(`Could not read ${path}: ${(error as Error).message}`);
  }
  if (bytes.length > MAX_EXPORT_BYTES) throw new MalformedExportError(`${path} is larger than ${MAX_EXPORT_BYTES / 1024 / 1024} MB; split the export.`);
  throwIfAborted(signal);
  return parseAnnotationExport(bytes.toString('utf8'), path);
}

export interface PlanImportOptions {
  unlabeledFolderName: string;
  allowNewClasses?: boolean;
  signal?: AbortSignal;
  /** Files the root's scan has examined so far, now and then. */
  onScanProgress?: (filesSeen: number) => void;
}

/** Matches a read export to the root's images as they are now. */
export async function planAnnotationImport(root: string, exported: AnnotationExport, options: PlanImportOptions): Promise<ImportPlan> {
  const scan = await scanDataset(root, { unlabeledFolderName: options.unlabeledFolderName, signal: options.signal, onProgress: options.onScanProgress });
  throwIfAborted(options.signal);
  return matchAnnotations(exported, {
    root: scan.root,
    imagePaths: scan.images.map((image) => image.relPath),
    classes: scan.classes.map((entry) => entry.name),
    allowNewClasses: options.allowNewClasses,
  });
}

/** What the engine's planAnnotationImport is asked: the export file and the root to match it to. */
export interface PlanAnnotationImportParams {
  root: string;
  /** The Label Studio JSON or CVAT XML export. */
  file: string;
  unlabeledFolderName: string;
  allowNewClasses?: boolean;
}

export type PlanAnnotationImportProgress = { phase: 'read' } | { phase: 'scan'; filesSeen: number };

/**
 * Reads the export and plans its import into the root: the dry run, with nothing written. A
 * malformed export throws MalformedExportError before the root is scanned.
 */
export async function readAndPlanAnnotationImport(
  params: PlanAnnotationImportParams,
  signal?: AbortSignal,
  onProgress?: (progress: PlanAnnotationImportProgress) => void,
): Promise<ImportPlan> {
  onProgress?.({ phase: 'read' });
  const exported = await readAnnotationExport(params.file, signal);
  onProgress?.({ phase: 'scan', filesSeen: 0 });
  return planAnnotationImport(params.root, exported, {
    unlabeledFolderName: params.unlabeledFolderName,
    allowNewClasses: params.allowNewClasses,
    signal,
    onScanProgress: (filesSeen) => onProgress?.({ phase: 'scan', filesSeen }),
  });
}

/** One line: what the plan would write and what it leaves out, by kind. */
export function describeImportPlan(plan: ImportPlan): string {
  const counts = new Map<string, number>();
  for (const problem of plan.problems) counts.set(problem.kind, (counts.get(problem.kind) ?? 0) + 1);
  const notWritten = [...counts].filter(([kind]) => kind !== 'duplicate').map(([kind, count]) => `${count} ${kind.replace(/-/g, ' ')}`);
  const newClasses = plan.newClasses.length > 0 ? `, new classes: ${plan.newClasses.map((entry) => `${entry.name} (${entry.count})`).join(', ')}` : '';
  const tool = plan.tool === 'cvat' ? 'CVAT' : 'Label Studio';
  return `${plan.entries} ${plan.tool === 'cvat' ? 'images' : 'tasks'} in the ${tool} export: ${plan.changes.length} labels to write${newClasses}; not read: ${notWritten.join(', ') || 'none'}`;
}
