// Reads a YOLO (Ultralytics) dataset: `data.yaml` names the classes and the image folders of each
// split; an image `.../images/<...>/<stem>.<ext>` has its objects in `.../labels/<...>/<stem>.txt`,
// one `class cx cy w h` line per object (segmentation lines, `class x1 y1 x2 y2 ...`, count too).
import { normaliseManifestPath } from './manifestPath';
import { DataYamlError, parseDataYaml } from './dataYaml';
import type { DatasetProblem } from './types';

export const YOLO_DATA_FILE = 'data.yaml';
export const YOLO_SPLIT_KEYS = ['train', 'val', 'test'] as const;

export interface YoloConfig {
  /** Class id -> name, in id order. */
  names: Map<number, string>;
  /** The split folders data.yaml names, relative to the root (those that lie inside it). */
  splits: Array<{ key: string; relPath: string }>;
}

export type YoloConfigResult = { ok: true; config: YoloConfig; problems: DatasetProblem[] } | { ok: false; problem: DatasetProblem };

/** Parses data.yaml. The `path` key is not followed: the root is the folder holding data.yaml. */
export function parseYoloConfig(text: string, relPath = YOLO_DATA_FILE): YoloConfigResult {
  const refuse = (why: string): YoloConfigResult => ({
    ok: false,
    problem: { relPath, kind: 'annotations-unreadable', severity: 'error', message: `${relPath} ${why}; no labels are read.` },
  });
  let values;
  try {
    values = parseDataYaml(text);
  } catch (error) {
    if (error instanceof DataYamlError) return refuse(`cannot be read: ${error.message}`);
    throw error;
  }
  const rawNames = values.get('names');
  if (rawNames === undefined || rawNames === '' || typeof rawNames === 'string') return refuse('has no "names" list or map');
  const names = new Map<number, string>();
  if (rawNames.length > 0 && Array.isArray(rawNames[0])) {
    for (const [key, name] of rawNames as Array<[string, string]>) {
      if (!/^\d+$/.test(key)) return refuse(`has a class id "${key}" under "names" that is not a whole number`);
      if (name.trim() === '') return refuse(`has an empty class name for id ${key}`);
      names.set(Number(key), name.trim());
    }
  } else {
    (rawNames as string[]).forEach((name, id) => names.set(id, name.trim()));
    if ([...names.values()].some((name) => name === '')) return refuse('has an empty class name in "names"');
  }
  const distinct = new Set(names.values());
  if (distinct.size !== names.size) return refuse('gives one class name to two ids');

  const problems: DatasetProblem[] = [];
  const nc = values.get('nc');
  if (typeof nc === 'string' && nc !== '' && Number(nc) !== names.size) {
    problems.push({ relPath, kind: 'annotation-malformed', severity: 'warning', message: `${relPath} says nc: ${nc} but "names" has ${names.size} classes; the names are used.` });
  }
  const splits: YoloConfig['splits'] = [];
  for (const key of YOLO_SPLIT_KEYS) {
    const value = values.get(key);
    if (value === undefined || value === '') continue;
    const entries = typeof value === 'string' ? [value] : value.map((item) => (Array.isArray(item) ? item[1] : item));
    for (const entry of entries) {
      // Ultralytics reads `../train/images` as `train/images` when the former does not exist, and
      // exports in the wild (Roboflow's) rely on it: the same rule here.
      const direct = normaliseManifestPath(entry);
      const path = !direct.ok && entry.startsWith('../') ? normaliseManifestPath(entry.slice(3)) : direct;
      if (!path.ok) {
        problems.push({ relPath, kind: 'annotation-path-outside-root', severity: 'error', message: `${relPath}: ${key}: ${path.message}; only images inside the root are read.` });
        continue;
      }
      splits.push({ key, relPath: path.relPath });
    }
  }
  return { ok: true, config: { names, splits }, problems };
}

/**
 * The label file of an image: its last `images` folder becomes `labels` and its extension `.txt`.
 * Undefined for an image with no `images` folder in its path (it has no label file).
 */
export function yoloLabelPath(imageRelPath: string): string | undefined {
  const segments = imageRelPath.split('/');
  const folders = segments.slice(0, -1);
  const at = folders.lastIndexOf('images');
  if (at < 0) return undefined;
  const name = segments[segments.length - 1]!;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return [...folders.slice(0, at), 'labels', ...folders.slice(at + 1), `${stem}.txt`].join('/');
}

/** Reads a label file: the class name of each object line; bad lines are reported and skipped. */
export function parseYoloLabelFile(text: string, names: ReadonlyMap<number, string>, relPath: string): { classes: string[]; problems: DatasetProblem[] } {
  const classes: string[] = [];
  const problems: DatasetProblem[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') return;
    const numbers = fields.slice(1).map(Number);
    if (!/^\d+$/.test(fields[0]!) || fields.length < 5 || numbers.some((n) => !Number.isFinite(n))) {
      problems.push({ relPath, line, kind: 'annotation-malformed', severity: 'error', message: `Line ${line}: expected "class cx cy w h" (a class id and at least four numbers), found "${raw.trim()}"; the line is skipped.` });
      return;
    }
    const name = names.get(Number(fields[0]));
    if (name === undefined) {
      problems.push({ relPath, line, kind: 'annotation-unknown-class', severity: 'error', message: `Line ${line}: class id ${fields[0]} is not in data.yaml's names; the line is skipped.` });
      return;
    }
    if (numbers.some((n) => n < 0 || n > 1)) {
      problems.push({ relPath, line, kind: 'annotation-malformed', severity: 'warning', message: `Line ${line}: coordinates outside 0..1 (YOLO coordinates are fractions of the image size); the object is counted.` });
    }
    classes.push(name);
  });
  return { classes, problems };
}
