// COCO and YOLO roots: finds their annotation files and matches them to the scanned images. The
// annotations replace folder labels in such a root (a COCO root's `train2017/` is a split, not a
// class); a labels.csv or labels.jsonl beside them still wins, as it does over folders.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAbortError } from '../util/abort';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { createLimiter } from '../util/concurrency';
import {
  COCO_ANNOTATIONS_FOLDER,
  cocoImageCandidates,
  cocoInstanceClasses,
  cocoSplitOf,
  isCocoInstancesName,
  parseCocoInstances,
  readCocoInstancesForScan,
  ROBOFLOW_COCO_NAME,
  type CocoImage,
  type CocoInstances,
} from './cocoInstances';
import { normaliseManifestPath } from './manifestPath';
import { isSkippedFolder } from './walk';
import { NO_OBJECTS_LABEL, type AnnotationKind, type DatasetProblem, type ImageEntry } from './types';
import { parseYoloConfig, parseYoloLabelFile, yoloLabelPath, YOLO_DATA_FILE } from './yoloLabels';

export interface AnnotationSource {
  kind: AnnotationKind;
  /** The annotation files, relative to the root: `data.yaml`, or every `annotations/instances_*.json`. */
  files: string[];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The COCO or YOLO annotations at root, or null. COCO wins when both are there (reported by readAnnotations). */
export async function detectAnnotationSource(root: string): Promise<AnnotationSource | null> {
  const coco = await cocoFiles(root);
  if (coco.length > 0) return { kind: 'coco', files: coco };
  if (await isFile(join(root, YOLO_DATA_FILE))) return { kind: 'yolo', files: [YOLO_DATA_FILE] };
  return null;
}

/** `annotations/instances_*.json`, or else Roboflow's `<split>/_annotations.coco.json`. */
async function cocoFiles(root: string): Promise<string[]> {
  const instances = (await listFolder(join(root, COCO_ANNOTATIONS_FOLDER)))
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isCocoInstancesName(entry.name))
    .map((entry) => `${COCO_ANNOTATIONS_FOLDER}/${entry.name}`);
  if (instances.length > 0) return instances.sort(byCodeUnits);
  const folders = (await listFolder(root)).filter((entry) => entry.isDirectory() && !isSkippedFolder(entry.name));
  const found = await Promise.all(folders.map(async (entry) => ((await isFile(join(root, entry.name, ROBOFLOW_COCO_NAME))) ? `${entry.name}/${ROBOFLOW_COCO_NAME}` : undefined)));
  return found.filter((file): file is string => file !== undefined).sort(byCodeUnits);
}

async function listFolder(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A COCO image matched to a scanned file. */
export interface CocoMatch {
  file: string;
  instances: CocoInstances;
  image: CocoImage;
}

export interface AnnotationRead {
  source: AnnotationSource;
  /** NFC image relPath -> the class of each object in it (empty: annotated, no objects). */
  objects: Map<string, string[]>;
  /** COCO: NFC image relPath -> its entry. */
  coco: Map<string, CocoMatch>;
  /** COCO: each file read, in file order. */
  cocoFiles: Array<{ file: string; instances: CocoInstances }>;
  problems: DatasetProblem[];
}

/**
 * How much of a COCO file to keep: 'classes' (what a scan needs; a file of any size is read
 * without building its polygons) or 'entries' (every entry as written, for exports).
 */
export type CocoDetail = 'classes' | 'entries';

/**
 * Reads the annotations and matches them to images (relPaths of the scan). walked holds the NFC
 * keys of every file the walk saw, to report label files that belong to no image.
 */
export async function readAnnotations(
  root: string,
  source: AnnotationSource,
  images: readonly string[],
  walked: ReadonlySet<string>,
  signal?: AbortSignal,
  cocoDetail: CocoDetail = 'classes',
): Promise<AnnotationRead> {
  const read: AnnotationRead = { source, objects: new Map(), coco: new Map(), cocoFiles: [], problems: [] };
  const keys = new Map(images.map((relPath) => [relPath.normalize('NFC'), relPath]));
  if (source.kind === 'coco') {
    if (await isFile(join(root, YOLO_DATA_FILE))) {
      read.problems.push({ relPath: YOLO_DATA_FILE, kind: 'annotations-conflict', severity: 'warning', message: `Both COCO instances files and ${YOLO_DATA_FILE} exist; labels come from the COCO files and ${YOLO_DATA_FILE} is ignored.` });
    }
    for (const file of source.files) await readCocoFile(root, file, keys, read, cocoDetail);
  } else {
    await readYolo(root, keys, walked, read, signal);
  }
  return read;
}

/** An annotation file's text, or undefined with the problem reported (unreadable, or a symlink out of the root). */
async function readAnnotationFile(root: string, file: string, read: AnnotationRead, consequence: string): Promise<string | undefined> {
  const bytes = await readAnnotationBytes(root, file, read, consequence);
  if (bytes === undefined) return undefined;
  try {
    return bytes.toString('utf8');
  } catch (error) {
    // Longer than V8's longest string (about 512 MiB).
    read.problems.push({ relPath: file, kind: 'annotations-unreadable', severity: 'error', message: `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${consequence}.` });
    return undefined;
  }
}

/** An annotation file's bytes, or undefined with the problem reported. */
async function readAnnotationBytes(root: string, file: string, read: AnnotationRead, consequence: string): Promise<Buffer | undefined> {
  const path = await resolveInsideRoot(root, file);
  if (path === undefined) {
    read.problems.push({ relPath: file, kind: 'annotation-path-outside-root', severity: 'error', message: `${file} leads outside the dataset root (through a symlink), or is gone; ${consequence}.` });
    return undefined;
  }
  try {
    return await readFile(path);
  } catch (error) {
    read.problems.push({ relPath: file, kind: 'annotations-unreadable', severity: 'error', message: `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${consequence}.` });
    return undefined;
  }
}

async function readCocoFile(root: string, file: string, keys: ReadonlyMap<string, string>, read: AnnotationRead, detail: CocoDetail): Promise<void> {
  const consequence = 'no labels are read from it';
  let parsed: ReturnType<typeof parseCocoInstances>;
  if (detail === 'classes') {
    const bytes = await readAnnotationBytes(root, file, read, consequence);
    if (bytes === undefined) return;
    parsed = readCocoInstancesForScan(bytes, file);
  } else {
    const text = await readAnnotationFile(root, file, read, consequence);
    if (text === undefined) return;
    parsed = parseCocoInstances(text, file);
  }
  if (!parsed.ok) {
    read.problems.push(parsed.problem);
    return;
  }
  read.problems.push(...parsed.problems);
  const { instances } = parsed;
  read.cocoFiles.push({ file, instances });
  const split = cocoSplitOf(file);
  for (const image of instances.images) {
    const name = normaliseManifestPath(image.fileName);
    if (!name.ok) {
      const kind = name.reason === 'outside-root' ? 'annotation-path-outside-root' : 'annotation-malformed';
      read.problems.push({ relPath: file, kind, severity: 'error', message: `Image id ${image.id}: ${name.message}; it is left out.` });
      continue;
    }
    const key = cocoImageCandidates(split, name.relPath).map((candidate) => candidate.normalize('NFC')).find((candidate) => keys.has(candidate));
    if (key === undefined) {
      read.problems.push({ relPath: file, kind: 'annotation-unknown-file', severity: 'warning', message: `Image id ${image.id} ("${image.fileName}") is not an image in the root (looked in ${split}/, images/${split}/, images/ and the root); it is ignored.` });
      continue;
    }
    const earlier = read.coco.get(key);
    if (earlier) {
      read.problems.push({ relPath: file, kind: 'annotation-duplicate-image', severity: 'error', message: `Image id ${image.id} is ${keys.get(key)}, which ${earlier.file} already lists; the entry in ${earlier.file} is used.` });
      continue;
    }
    read.coco.set(key, { file, instances, image });
    read.objects.set(key, cocoInstanceClasses(instances, image));
  }
}

const LABEL_READS_IN_FLIGHT = 16;

async function readYolo(root: string, keys: ReadonlyMap<string, string>, walked: ReadonlySet<string>, read: AnnotationRead, signal?: AbortSignal): Promise<void> {
  const text = await readAnnotationFile(root, YOLO_DATA_FILE, read, 'no labels are read');
  if (text === undefined) return;
  const parsed = parseYoloConfig(text);
  if (!parsed.ok) {
    read.problems.push(parsed.problem);
    return;
  }
  read.problems.push(...parsed.problems);
  const { config } = parsed;
  for (const split of config.splits) {
    const prefix = `${split.relPath.normalize('NFC')}/`;
    if (![...keys.keys()].some((key) => key.startsWith(prefix))) {
      read.problems.push({ relPath: YOLO_DATA_FILE, kind: 'annotation-unknown-file', severity: 'warning', message: `${split.key}: ${split.relPath} holds no images (image list files are not read; images are found by their images/ folders).` });
    }
  }

  // Two images with one stem in one folder (a.jpg, a.png) would share a label file: neither gets it.
  const claims = new Map<string, string[]>();
  for (const [key, relPath] of keys) {
    const labelPath = yoloLabelPath(relPath);
    if (labelPath === undefined) continue;
    const labelKey = labelPath.normalize('NFC');
    claims.set(labelKey, [...(claims.get(labelKey) ?? []), key]);
  }
  const limit = createLimiter(LABEL_READS_IN_FLIGHT, signal);
  const work: Array<Promise<void>> = [];
  for (const [labelKey, claimants] of claims) {
    if (!walked.has(labelKey)) continue; // No label file: the image is unlabelled.
    if (claimants.length > 1) {
      const names = claimants.map((key) => keys.get(key)!).sort(byCodeUnits);
      read.problems.push({ relPath: labelKey, kind: 'annotation-duplicate-image', severity: 'error', message: `${labelKey} would label ${names.join(' and ')}; the images share a name, so neither is labelled from it.` });
      continue;
    }
    work.push(
      limit(async () => {
        let content: string;
        try {
          content = await readFile(join(root, labelKey), 'utf8');
        } catch (error) {
          if (isAbortError(error)) throw error;
          read.problems.push({ relPath: labelKey, kind: 'annotations-unreadable', severity: 'error', message: `${labelKey} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); its image is left unlabelled.` });
          return;
        }
        const { classes, problems } = parseYoloLabelFile(content, config.names, labelKey);
        read.problems.push(...problems);
        read.objects.set(claimants[0]!, classes);
      }),
    );
  }
  await Promise.all(work);
  for (const key of walked) {
    if (key.endsWith('.txt') && key.split('/').slice(0, -1).includes('labels') && !claims.has(key)) {
      read.problems.push({ relPath: key, kind: 'annotation-unknown-file', severity: 'warning', message: `${key} is a label file with no image beside it in images/; it is ignored.` });
    }
  }
}

/** Labels the images from what readAnnotations found (mutating label, labelSource and classes). */
export function applyAnnotationLabels(images: ImageEntry[], read: AnnotationRead): void {
  for (const image of images) {
    const objects = read.objects.get(image.relPath.normalize('NFC'));
    if (objects === undefined) {
      image.label = null;
      image.labelSource = null;
      continue;
    }
    const classes = classesByCount(objects);
    image.classes = classes;
    image.label = classes[0] ?? NO_OBJECTS_LABEL;
    image.labelSource = read.source.kind;
  }
}

/** Distinct class names, most instances first, ties by name. */
export function classesByCount(objects: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of objects) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])).map(([name]) => name);
}
