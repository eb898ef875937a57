// Reads a COCO instances file (`annotations/instances_<split>.json`): its images, categories and
// annotations, checked entry by entry. A file that is not JSON or lacks the three lists is refused
// as a whole; a bad entry is reported and left out, so one typo never hides the rest of a dataset.
import { JsonSyntaxError, readJsonLists } from './jsonLists';
import type { DatasetProblem } from './types';

/** Where COCO roots keep their instances files, and what those files are called. */
export const COCO_ANNOTATIONS_FOLDER = 'annotations';
export const isCocoInstancesName = (name: string): boolean => /^instances_.+\.json$/.test(name);
/** Roboflow's COCO export: one file per split folder, beside its images. */
export const ROBOFLOW_COCO_NAME = '_annotations.coco.json';

/**
 * The split a file (relative to the root) describes: `annotations/instances_train2017.json` ->
 * `train2017`, `valid/_annotations.coco.json` -> `valid`.
 */
export function cocoSplitOf(file: string): string {
  const slash = file.lastIndexOf('/');
  const name = file.slice(slash + 1);
  if (name === ROBOFLOW_COCO_NAME) return file.slice(0, Math.max(0, slash));
  return name.replace(/^instances_/, '').replace(/\.json$/, '');
}

export interface CocoImage {
  id: number;
  fileName: string;
  /** The entry as written, carried unchanged into exports (only the fields read, from readCocoInstancesForScan). */
  raw: Record<string, unknown>;
  /** Its annotations in file order, as written (only the fields read, from readCocoInstancesForScan). */
  annotations: Array<Record<string, unknown>>;
}

export interface CocoInstances {
  images: CocoImage[];
  /** Category id -> name. */
  categories: Map<number, string>;
  /** The category entries as written (for exports). */
  rawCategories: Array<Record<string, unknown>>;
  /** Other top-level fields (info, licenses...), carried into exports. */
  extra: Record<string, unknown>;
}

export type CocoReadResult = { ok: true; instances: CocoInstances; problems: DatasetProblem[] } | { ok: false; problem: DatasetProblem };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** The fields a scan reads from each list; the rest of the file (polygons above all) is skipped. */
const SCAN_FIELDS = { images: ['id', 'file_name'], annotations: ['image_id', 'category_id'], categories: ['id', 'name'] } as const;

const refusal = (relPath: string, why: string): CocoReadResult => ({
  ok: false,
  problem: { relPath, kind: 'annotations-unreadable', severity: 'error', message: `${relPath} ${why}; no labels are read from it.` },
});

/** Parses one instances file whole, every entry as written (for exports); relPath (relative to the root) is what problems name. */
export function parseCocoInstances(text: string, relPath: string): CocoReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return refusal(relPath, `is not valid JSON (${(error as Error).message})`);
  }
  return checkCocoInstances(json, relPath);
}

/**
 * Reads what a scan needs from an instances file's bytes: image ids and names, each annotation's
 * image and category, category ids and names. Entries keep only those fields (raw and extra are
 * not the file's), so this is for labelling images, not for exports. The problems are the ones
 * parseCocoInstances reports for the same file. The file is never one string, so it may be larger
 * than V8's longest string, and the polygons are never built.
 */
export function readCocoInstancesForScan(bytes: Uint8Array, relPath: string): CocoReadResult {
  let json: unknown;
  try {
    json = readJsonLists(bytes, SCAN_FIELDS);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return refusal(relPath, `is not valid JSON (${error.message})`);
  }
  return checkCocoInstances(json, relPath);
}

/** Checks a parsed instances document entry by entry. */
function checkCocoInstances(json: unknown, relPath: string): CocoReadResult {
  const refuse = (why: string): CocoReadResult => refusal(relPath, why);
  if (!isRecord(json)) return refuse('is not a JSON object');
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(json[key])) return refuse(`has no "${key}" list, so it is not a COCO instances file`);
  }
  const problems: DatasetProblem[] = [];
  const report = (kind: DatasetProblem['kind'], message: string, severity: DatasetProblem['severity'] = 'error'): void => {
    problems.push({ relPath, kind, severity, message });
  };

  const categories = new Map<number, string>();
  const rawCategories: Array<Record<string, unknown>> = [];
  (json.categories as unknown[]).forEach((entry, index) => {
    if (!isRecord(entry) || !isId(entry.id) || typeof entry.name !== 'string' || entry.name.trim() === '') {
      report('annotation-malformed', `categories[${index}] needs an integer "id" and a non-empty "name"; it is left out.`);
      return;
    }
    if (categories.has(entry.id)) {
      report('annotation-malformed', `categories[${index}] repeats category id ${entry.id}; the first one ("${categories.get(entry.id)}") is used.`);
      return;
    }
    categories.set(entry.id, entry.name.trim());
    rawCategories.push(entry);
  });

  const images: CocoImage[] = [];
  const byId = new Map<number, CocoImage>();
  const byName = new Map<string, number>();
  (json.images as unknown[]).forEach((entry, index) => {
    if (!isRecord(entry) || !isId(entry.id) || typeof entry.file_name !== 'string' || entry.file_name.trim() === '') {
      report('annotation-malformed', `images[${index}] needs an integer "id" and a "file_name"; it is left out.`);
      return;
    }
    if (byId.has(entry.id)) {
      report('annotation-duplicate-image', `images[${index}] repeats image id ${entry.id}; only the first entry is used.`);
      return;
    }
    const nameKey = entry.file_name.normalize('NFC');
    const first = byName.get(nameKey);
    if (first !== undefined) {
      report('annotation-duplicate-image', `images[${index}] lists "${entry.file_name}" again (first as id ${first}); only the first entry is used.`);
      return;
    }
    const image: CocoImage = { id: entry.id, fileName: entry.file_name, raw: entry, annotations: [] };
    byId.set(entry.id, image);
    byName.set(nameKey, entry.id);
    images.push(image);
  });

  (json.annotations as unknown[]).forEach((entry, index) => {
    if (!isRecord(entry) || !isId(entry.image_id) || !isId(entry.category_id)) {
      report('annotation-malformed', `annotations[${index}] needs an integer "image_id" and "category_id"; it is left out.`);
      return;
    }
    const image = byId.get(entry.image_id);
    if (!image) {
      report('annotation-malformed', `annotations[${index}] refers to image id ${entry.image_id}, which the file does not list; it is left out.`);
      return;
    }
    if (!categories.has(entry.category_id)) {
      report('annotation-unknown-class', `annotations[${index}] (image "${image.fileName}") has category id ${entry.category_id}, which the file does not define; it is left out.`);
      return;
    }
    image.annotations.push(entry);
  });

  const { images: _images, annotations: _annotations, categories: _categories, ...extra } = json;
  return { ok: true, instances: { images, categories, rawCategories, extra }, problems };
}

/** The class names of an image's annotations, one per instance. */
export function cocoInstanceClasses(instances: CocoInstances, image: CocoImage): string[] {
  return image.annotations.map((annotation) => instances.categories.get(annotation.category_id as number)!);
}

/**
 * Where an image named in `annotations/instances_<split>.json` lies, relative to the root: the
 * first of `<split>/<file_name>`, `images/<split>/<file_name>`, `images/<file_name>` and
 * `<file_name>` that is an image of the scan.
 */
export function cocoImageCandidates(split: string, fileName: string): string[] {
  return [`${split}/${fileName}`, `images/${split}/${fileName}`, `images/${fileName}`, fileName];
}
