// Label Studio's files for image classification, written and read:
//  - tasks to import: `{ data: { image, curator_path, ... }, predictions: [{ model_version, score,
//    result: [{ from_name, to_name, type: "choices", value: { choices: [class] } }] }] }`, with
//    `data.image` a `/data/local-files/?d=<path>` URL that Label Studio's local files storage serves;
//  - the labelling configuration (`<View><Image/><Choices/></View>`) naming the root's classes;
//  - its JSON export (an array of tasks, each with `annotations[].result[].value.choices`) read back.
// The names FROM_NAME and TO_NAME tie the three together: predictions and annotations name the
// Choices and Image tags of the configuration.
import { escapeXml } from './xmlSubset';
import { MalformedExportError, type AnnotatedImage, type AnnotationExport } from './annotatedImages';

export const FROM_NAME = 'label';
export const TO_NAME = 'image';
export const LOCAL_FILES_PREFIX = '/data/local-files/?d=';

export interface LabelStudioTaskInput {
  /** Relative to the dataset root. */
  relPath: string;
  /** Relative to Label Studio's document root (LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT). */
  servedPath: string;
  rank: number;
  /** The label the image has now (null: unlabelled). */
  label: string | null;
  /** The newest suggestion's first class and its probability, when there is one. */
  suggestion?: { label: string; p: number };
}

/** Tasks for Label Studio's import, as JSON text; `modelVersion` names what made the predictions. */
export function labelStudioTasks(items: readonly LabelStudioTaskInput[], modelVersion: string): string {
  const tasks = items.map((item) => ({
    data: { image: localFilesUrl(item.servedPath), curator_path: item.relPath, curator_rank: item.rank, curator_label: item.label },
    ...(item.suggestion
      ? {
          predictions: [
            {
              model_version: modelVersion,
              score: item.suggestion.p,
              result: [{ from_name: FROM_NAME, to_name: TO_NAME, type: 'choices', value: { choices: [item.suggestion.label] } }],
            },
          ],
        }
      : {}),
  }));
  return `${JSON.stringify(tasks, null, 2)}\n`;
}

/** The labelling configuration: one image, one single choice among `classes`. */
export function labelStudioConfig(classes: readonly string[]): string {
  const choices = classes.map((name) => `    <Choice value="${escapeXml(name)}"/>\n`).join('');
  return (
    '<View>\n' +
    `  <Image name="${TO_NAME}" value="$image"/>\n` +
    `  <Choices name="${FROM_NAME}" toName="${TO_NAME}" choice="single" showInline="true">\n` +
    choices +
    '  </Choices>\n' +
    '</View>\n'
  );
}

/** Each path segment percent-encoded, the slashes kept: what Label Studio's own storage sync writes and its server decodes. */
export function localFilesUrl(servedPath: string): string {
  return LOCAL_FILES_PREFIX + servedPath.split('/').map(encodeURIComponent).join('/');
}

/** Reads a Label Studio JSON export (not JSON-MIN, not CSV); throws MalformedExportError naming what is wrong. */
export function readLabelStudioExport(text: string): AnnotationExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedExportError(`not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(json)) throw new MalformedExportError('a Label Studio JSON export is an array of tasks; this is not an array');
  const images: AnnotatedImage[] = [];
  for (const [index, task] of json.entries()) {
    if (!isObject(task)) throw new MalformedExportError(`item ${index + 1} is not a task object`);
    const where = `task ${typeof task.id === 'number' || typeof task.id === 'string' ? task.id : `#${index + 1}`}`;
    if (!isObject(task.data)) {
      const minimal = 'image' in task ? ' (this looks like the JSON-MIN export; export as "JSON" instead)' : '';
      throw new MalformedExportError(`${where} has no "data" object${minimal}`);
    }
    const ref = task.data.image;
    if (typeof ref !== 'string') throw new MalformedExportError(`${where} has no "data.image" text`);
    const rootPath = typeof task.data.curator_path === 'string' ? task.data.curator_path : undefined;
    const annotations = task.annotations ?? [];
    if (!Array.isArray(annotations)) throw new MalformedExportError(`${where}: "annotations" is not an array`);
    const latest = latestAnnotation(annotations, where);
    const base = { where, ref, ...(rootPath !== undefined ? { rootPath } : {}) };
    if (!latest) images.push({ ...base, choices: [], skipped: 'not-annotated' });
    else if (latest.was_cancelled === true) images.push({ ...base, choices: [], skipped: 'cancelled' });
    else images.push({ ...base, choices: choicesOf(latest, where) });
  }
  return { tool: 'label-studio', images };
}

/** The annotation updated last (Label Studio's timestamps are ISO 8601 and compare as text); the last listed on a tie. */
function latestAnnotation(annotations: unknown[], where: string): Record<string, unknown> | undefined {
  let latest: Record<string, unknown> | undefined;
  let latestTime = '';
  for (const annotation of annotations) {
    if (!isObject(annotation)) throw new MalformedExportError(`${where}: an annotation is not an object`);
    const time = String(annotation.updated_at ?? annotation.created_at ?? '');
    if (!latest || time >= latestTime) {
      latest = annotation;
      latestTime = time;
    }
  }
  return latest;
}

/** Every class chosen in an annotation's `choices` results, each once. */
function choicesOf(annotation: Record<string, unknown>, where: string): string[] {
  const result = annotation.result ?? [];
  if (!Array.isArray(result)) throw new MalformedExportError(`${where}: an annotation's "result" is not an array`);
  const choices = new Set<string>();
  for (const region of result) {
    if (!isObject(region) || region.type !== 'choices') continue;
    const value = region.value;
    if (!isObject(value) || !Array.isArray(value.choices) || !value.choices.every((choice) => typeof choice === 'string')) {
      throw new MalformedExportError(`${where}: a "choices" result has no "value.choices" list of text`);
    }
    for (const choice of value.choices as string[]) choices.add(choice);
  }
  return [...choices];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
