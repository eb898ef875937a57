// Scans one dataset root: walks it, sniffs every file named like an image, and labels the images
// from their folders and the labels manifest. Built for 100,000 files: file-system calls are
// bounded and asynchronous, and every step is linear apart from the final sorts.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { throwIfAborted } from '../util/abort';
import { formatFromFileName } from './imageFormat';
import { applyAnnotationLabels, detectAnnotationSource, readAnnotations, type AnnotationRead } from './annotationSource';
import { applyManifestLabels, folderLabel } from './labels';
import { createLimiter } from '../util/concurrency';
import { MANIFEST_FILE_NAMES, readDatasetManifest } from './manifestFile';
import { throttledProgress } from './progress';
import { sniffFiles, type SniffCandidate } from './sniffFiles';
import {
  DEFAULT_UNLABELED_FOLDER,
  type ClassCount,
  type DatasetScan,
  type ImageEntry,
  type ScanOptions,
} from './types';
import { walkDatasetTree } from './walk';

/** File-system calls in flight at once: enough to keep libuv's thread pool and a disk queue busy. */
const WALK_CONCURRENCY = 16;

const MANIFEST_NAMES = new Set(Object.values(MANIFEST_FILE_NAMES));

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Scans the dataset under root. Rejects when root is not a readable folder, and with a
 * CancelledError (see isAbortError) when options.signal fires; every other difficulty is
 * reported in the result's problems.
 */
export async function scanDataset(root: string, options: ScanOptions = {}): Promise<DatasetScan> {
  const { signal } = options;
  const unlabeledFolderName = options.unlabeledFolderName || DEFAULT_UNLABELED_FOLDER;
  const absRoot = resolve(root);
  throwIfAborted(signal);
  if (!(await stat(absRoot)).isDirectory()) throw new Error(`The dataset root is not a folder: ${absRoot}`);

  const progress = throttledProgress(options.onProgress);
  const { manifest, problems } = await readDatasetManifest(absRoot);
  const annotationSource = await detectAnnotationSource(absRoot);
  if (manifest && annotationSource) {
    problems.push({
      relPath: annotationSource.files[0]!,
      kind: 'annotations-conflict',
      severity: 'warning',
      message: `${manifest.relPath} and ${annotationSource.kind.toUpperCase()} annotations both exist; labels come from ${manifest.relPath} and the annotations are ignored.`,
    });
  }
  const annotations = manifest ? null : annotationSource;
  throwIfAborted(signal);

  // First the walk (a few hundred readdir calls for 100,000 files), then the sniffing, which is
  // one open/stat/read/close per image and dominates the time (see sniffFiles.ts).
  const candidates: SniffCandidate[] = [];
  const walked = new Set<string>();
  let ignoredFiles = 0;
  await walkDatasetTree(
    absRoot,
    {
      onFile(file) {
        walked.add(file.relPath.normalize('NFC'));
        const claimed = formatFromFileName(file.name);
        if (claimed !== undefined) {
          candidates.push({ file, claimed });
          return;
        }
        if (!MANIFEST_NAMES.has(file.relPath)) ignoredFiles++;
        progress.add();
      },
      onProblem(problem) {
        problems.push(problem);
      },
    },
    createLimiter(WALK_CONCURRENCY, signal),
  );

  const images: ImageEntry[] = [];
  const excluded = new Set<string>();
  await sniffFiles(candidates, signal, ({ file }, { image, problem }) => {
    if (problem) problems.push(problem);
    if (image) images.push({ relPath: file.relPath, absPath: file.absPath, ...folderLabel(file.relPath, unlabeledFolderName), ...image });
    else excluded.add(file.relPath.normalize('NFC'));
    progress.add();
  });
  throwIfAborted(signal);

  // A loop, not push(...rows): a manifest can list more rows than a call can take arguments.
  if (manifest) for (const problem of applyManifestLabels(images, manifest, { walked, excluded })) problems.push(problem);
  let annotated: AnnotationRead | null = null;
  if (annotations) {
    annotated = await readAnnotations(absRoot, annotations, images.map((image) => image.relPath), walked, signal);
    applyAnnotationLabels(images, annotated);
    for (const problem of annotated.problems) problems.push(problem);
  }
  images.sort((a, b) => byCodeUnits(a.relPath, b.relPath));
  problems.sort((a, b) => byCodeUnits(a.relPath, b.relPath) || (a.line ?? 0) - (b.line ?? 0) || byCodeUnits(a.message, b.message));
  progress.finish();

  const classes = countClasses(images);
  const labelled = images.reduce((sum, image) => sum + (image.label === null ? 0 : 1), 0);
  return {
    root: absRoot,
    images,
    classes,
    counts: { images: images.length, labelled, unlabelled: images.length - labelled, ignoredFiles },
    manifest: manifest
      ? { relPath: manifest.relPath, kind: manifest.parsed.kind, rows: manifest.parsed.rows.length }
      : annotated
        ? { relPath: annotated.source.files[0]!, kind: annotated.source.kind, rows: annotated.objects.size, files: annotated.source.files }
        : null,
    problems,
  };
}

/** Images per class; an image of a COCO or YOLO root counts once for each class in it. */
function countClasses(images: readonly ImageEntry[]): ClassCount[] {
  const counts = new Map<string, number>();
  for (const { label, classes } of images) {
    for (const name of classes && classes.length > 0 ? classes : label !== null ? [label] : []) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || byCodeUnits(a.name, b.name));
}
