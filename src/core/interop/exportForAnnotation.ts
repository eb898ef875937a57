// Export Selection for an annotation tool: the ranked images of a selection as
//  - label-studio: tasks to import (`<out>`, JSON) whose predictions are the newest suggestions, and
//    the labelling configuration naming the root's classes (`<out without .json>.label-config.xml`);
//  - cvat: an image list (`<out>`, one path per line) and the task's labels
//    (`<out without extension>.labels.json`, the label constructor's JSON).
// Paths are relative to `base`: the folder Label Studio serves local files from
// (LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT) or CVAT's share. For Label Studio it defaults to the
// folder that holds the dataset root, because Label Studio wants a local storage folder strictly
// below its document root: document root = that folder, storage = the dataset root. For CVAT it
// defaults to the dataset root (the share, or the folder the images are uploaded from). Like the other list exports,
// nothing is overwritten and images that are gone are reported and left out; both files are checked
// before either is written.
import { stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { scanDataset } from '../dataset';
import { normaliseManifestPath } from '../dataset/manifestPath';
import type { ExportItem, ExportSelectionProblem } from '../jobs/exportSelection';
import { loadLatestResults } from '../review/resultFiles';
import { throwIfAborted } from '../util/abort';
import { writeFileAtomic } from '../util/atomicWrite';
import { pathExists } from '../util/pathExists';
import { isWithin, resolveInsideRoot } from '../workspace/insideRoot';
import type { AnnotationTool } from './annotatedImages';
import { cvatImageList, cvatLabels } from './cvatFormat';
import { labelStudioConfig, labelStudioTasks, type LabelStudioTaskInput } from './labelStudioFormat';

export interface AnnotationExportOptions {
  /** Where the root's suggestions are saved. */
  cacheDir: string;
  unlabeledFolderName: string;
  /** Paths in the export are relative to this folder, which must hold the root; default: the root's parent for Label Studio, the root for CVAT. */
  base?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface AnnotationExportResult {
  mode: AnnotationTool;
  /** The tasks (Label Studio) or image list (CVAT). */
  out: string;
  /** The labelling configuration (Label Studio) or labels JSON (CVAT) written beside it. */
  companion: string;
  requested: number;
  exported: number;
  /** Tasks given a prediction from the newest suggestions (Label Studio only). */
  predictions: number;
  /** The classes written into the configuration or labels file. */
  classes: string[];
  files: string[];
  problems: ExportSelectionProblem[];
}

/** The file written beside `out`: `tasks.json` -> `tasks.label-config.xml`, `images.txt` -> `images.labels.json`. */
export function companionPath(tool: AnnotationTool, out: string): string {
  const stem = extname(out) ? out.slice(0, -extname(out).length) : out;
  return tool === 'label-studio' ? `${stem}.label-config.xml` : `${stem}.labels.json`;
}

export async function exportForAnnotation(
  root: string,
  items: readonly ExportItem[],
  tool: AnnotationTool,
  out: string,
  options: AnnotationExportOptions,
): Promise<AnnotationExportResult> {
  root = resolve(root);
  const base = resolve(options.base ?? (tool === 'label-studio' ? dirname(root) : root));
  if (!isWithin(base, root)) throw new Error(`${base} does not hold the dataset root ${root}; paths are written relative to a folder that holds it.`);
  const fromBase = relative(base, root);
  const companion = companionPath(tool, out);
  for (const file of [out, companion]) if (await pathExists(file)) throw new Error(`${file} already exists; choose another file name (exports never overwrite).`);

  const scan = await scanDataset(root, { unlabeledFolderName: options.unlabeledFolderName, signal: options.signal });
  const labels = new Map(scan.images.map((image) => [image.relPath, image.label]));
  const classes = scan.classes.map((entry) => entry.name).sort();
  const problems: ExportSelectionProblem[] = [];
  const inputs: LabelStudioTaskInput[] = [];
  for (const [index, item] of items.entries()) {
    throwIfAborted(options.signal);
    const relPath = await existingImage(root, item.relPath, problems);
    if (relPath === undefined) continue;
    const servedPath = (fromBase ? join(fromBase, relPath) : relPath).split(sep).join('/');
    const rank = typeof item.rank === 'number' && Number.isFinite(item.rank) ? item.rank : index + 1;
    inputs.push({ relPath, servedPath, rank, label: labels.get(relPath) ?? null });
    options.onProgress?.(index + 1, items.length);
  }

  let predictions = 0;
  let text: string;
  let companionText: string;
  if (tool === 'label-studio') {
    const { suggestions } = await loadLatestResults(options.cacheDir);
    const known = new Set(classes);
    for (const input of inputs) {
      const soft = suggestions?.byPath.get(input.relPath);
      const first = soft?.suggestions[0];
      // "new class?" images get no pre-annotation: their likeliest class is one the root does not have.
      if (!first || soft.unknownClass || !known.has(first.label)) continue;
      input.suggestion = { label: first.label, p: first.p };
      predictions++;
    }
    text = labelStudioTasks(inputs, `curator-${suggestions?.method ?? 'none'}`);
    companionText = labelStudioConfig(classes);
  } else {
    text = cvatImageList(inputs.map((input) => input.servedPath));
    companionText = cvatLabels(classes);
  }
  await writeFileAtomic(companion, companionText);
  await writeFileAtomic(out, text);
  options.onProgress?.(items.length, items.length);
  return { mode: tool, out, companion, requested: items.length, exported: inputs.length, predictions, classes, files: [out, companion], problems };
}

/** The item's root-relative path when it is still a file inside the root; otherwise a problem is recorded. */
async function existingImage(root: string, raw: string, problems: ExportSelectionProblem[]): Promise<string | undefined> {
  const path = normaliseManifestPath(raw);
  if (!path.ok) {
    problems.push({ relPath: raw, kind: path.reason === 'outside-root' ? 'outside-root' : 'missing', message: `${raw}: ${path.message}; it was left out.` });
    return undefined;
  }
  const absPath = await resolveInsideRoot(root, path.relPath);
  if (absPath && (await stat(absPath)).isFile()) return path.relPath;
  const kind = absPath ? 'not-a-file' : (await pathExists(join(root, path.relPath))) ? 'outside-root' : 'missing';
  const why = { 'not-a-file': 'is not a file', 'outside-root': 'leads outside the dataset root (through a symlink)', missing: 'does not exist (moved or deleted since the selection was made)' }[kind];
  problems.push({ relPath: raw, kind, message: `${path.relPath} ${why}; it was left out.` });
  return undefined;
}
