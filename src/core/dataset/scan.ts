// Scans one dataset root: walks it, sniffs every file named like an image, and labels the images
// from their folders and the labels manifest. Built for 100,000 files: the walk and the sniffing
// overlap, file-system calls are bounded, and every step is linear apart from the final sorts.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { throwIfAborted } from './abort';
import { formatFromFileName } from './imageFormat';
import { inspectImageFile } from './inspectImage';
import { applyManifestLabels, folderLabel } from './labels';
import { createLimiter } from './limiter';
import { MANIFEST_FILE_NAMES, readDatasetManifest } from './manifestFile';
import { throttledProgress } from './progress';
import {
  DEFAULT_UNLABELED_FOLDER,
  type ClassCount,
  type DatasetScan,
  type ImageEntry,
  type ScanOptions,
} from './types';
import { walkDatasetTree } from './walk';

/** File-system calls in flight at once; enough to keep libuv's thread pool and a disk queue busy. */
const SCAN_CONCURRENCY = 32;

const MANIFEST_NAMES = new Set(Object.values(MANIFEST_FILE_NAMES));

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Scans the dataset under root. Rejects when root is not a readable folder, and with a
 * ScanAbortedError (see isAbortError) when options.signal fires; every other difficulty is
 * reported in the result's problems.
 */
export async function scanDataset(root: string, options: ScanOptions = {}): Promise<DatasetScan> {
  const { signal } = options;
  const unlabeledFolderName = options.unlabeledFolderName || DEFAULT_UNLABELED_FOLDER;
  const absRoot = resolve(root);
  throwIfAborted(signal);
  if (!(await stat(absRoot)).isDirectory()) throw new Error(`The dataset root is not a folder: ${absRoot}`);

  const limit = createLimiter(SCAN_CONCURRENCY, signal);
  const progress = throttledProgress(options.onProgress);
  const { manifest, problems } = await readDatasetManifest(absRoot);
  throwIfAborted(signal);

  const images: ImageEntry[] = [];
  const walked = new Set<string>();
  const excluded = new Set<string>();
  let ignoredFiles = 0;
  const inspections: Promise<void>[] = [];
  let inspectionFailure: { error: unknown } | undefined;

  await walkDatasetTree(
    absRoot,
    {
      onFile(file) {
        const key = file.relPath.normalize('NFC');
        walked.add(key);
        const claimed = formatFromFileName(file.name);
        if (claimed === undefined) {
          if (!MANIFEST_NAMES.has(file.relPath)) ignoredFiles++;
          progress.add();
          return;
        }
        // Sniffing starts while the walk goes on; the handler is attached at once so an abort
        // during the walk never surfaces as an unhandled rejection.
        const inspection = limit(() => inspectImageFile(file.absPath, file.relPath, claimed)).then(
          ({ image, problem }) => {
            if (problem) problems.push(problem);
            if (image) images.push({ relPath: file.relPath, absPath: file.absPath, ...folderLabel(file.relPath, unlabeledFolderName), ...image });
            else excluded.add(key);
            progress.add();
          },
          (error: unknown) => {
            inspectionFailure ??= { error };
          },
        );
        inspections.push(inspection);
      },
      onProblem(problem) {
        problems.push(problem);
      },
    },
    limit,
  );
  await Promise.all(inspections);
  if (inspectionFailure) throw inspectionFailure.error;
  throwIfAborted(signal);

  if (manifest) problems.push(...applyManifestLabels(images, manifest, { walked, excluded }));
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
    manifest: manifest ? { relPath: manifest.relPath, kind: manifest.parsed.kind, rows: manifest.parsed.rows.length } : null,
    problems,
  };
}

function countClasses(images: readonly ImageEntry[]): ClassCount[] {
  const counts = new Map<string, number>();
  for (const { label } of images) if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || byCodeUnits(a.name, b.name));
}
