// Turns what an annotation tool exported into label changes for a root's scanned images, and says
// what it could not use. An image is found by, in turn: the root-relative path the task carries
// (tasks written by export-selection have one), the path the tool names, that path with leading
// folders dropped (a Label Studio document root or CVAT share above the dataset root), and the file
// name alone when exactly one image has it. Refused, each with a line in the report: a path that
// leads outside the root, an image not found or found twice by name, an entry without an answer
// (cancelled, not annotated), more than one class for one image, images named by several entries
// with different classes (none of them is written), and a class the root does not have, unless
// new classes are allowed.
import { isAbsolute, relative, sep } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { isWithin } from '../workspace/insideRoot';
import type { LabelChange } from '../labels';
import { LOCAL_FILES_PREFIX } from './labelStudioFormat';
import type { AnnotatedImage, AnnotationExport, AnnotationTool } from './annotatedImages';

export type ImportProblemKind =
  | 'outside-root'
  | 'unmatched'
  | 'ambiguous'
  | 'not-annotated'
  | 'cancelled'
  | 'multiple-choices'
  | 'conflict'
  | 'unknown-class'
  | 'duplicate';

export interface ImportProblem {
  kind: ImportProblemKind;
  /** Where in the export ("task 12"). */
  where: string;
  message: string;
}

export interface ImportPlan {
  tool: AnnotationTool;
  /** Tasks or image elements in the export. */
  entries: number;
  /** One per image, root-relative paths. */
  changes: LabelChange[];
  /** Classes the root did not have that `changes` use (only when new classes are allowed), with their image counts. */
  newClasses: Array<{ name: string; count: number }>;
  problems: ImportProblem[];
}

export interface MatchOptions {
  /** Absolute path of the dataset root (for absolute paths in the export). */
  root: string;
  /** Every scanned image of the root, root-relative. */
  imagePaths: readonly string[];
  /** The root's classes now. */
  classes: readonly string[];
  /** Write classes the root does not have yet; otherwise such images are refused. */
  allowNewClasses?: boolean;
}

type Resolved = { kind: 'path'; relPath: string } | { kind: 'problem'; problem: ImportProblem };

export function matchAnnotations(exported: AnnotationExport, options: MatchOptions): ImportPlan {
  const plan: ImportPlan = { tool: exported.tool, entries: exported.images.length, changes: [], newClasses: [], problems: [] };
  const finder = new ImageFinder(options.root, options.imagePaths);
  // Matched entries per image, in export order.
  const byImage = new Map<string, Array<{ entry: AnnotatedImage; label: string }>>();
  for (const entry of exported.images) {
    if (entry.skipped) {
      const why = entry.skipped === 'cancelled' ? 'its latest annotation was cancelled (skipped)' : 'it has no annotation';
      plan.problems.push({ kind: entry.skipped, where: entry.where, message: `${entry.where} (${entry.ref}): ${why}; not read.` });
      continue;
    }
    if (entry.choices.length !== 1) {
      const message = entry.choices.length === 0 ? 'no class was chosen' : `${entry.choices.length} classes were chosen (${entry.choices.join(', ')}), one is needed`;
      plan.problems.push({ kind: entry.choices.length === 0 ? 'not-annotated' : 'multiple-choices', where: entry.where, message: `${entry.where} (${entry.ref}): ${message}; not read.` });
      continue;
    }
    const resolved = finder.find(entry);
    if (resolved.kind === 'problem') {
      plan.problems.push(resolved.problem);
      continue;
    }
    const list = byImage.get(resolved.relPath) ?? [];
    list.push({ entry, label: entry.choices[0] });
    byImage.set(resolved.relPath, list);
  }

  const known = new Set(options.classes);
  const newCounts = new Map<string, number>();
  for (const [relPath, answers] of byImage) {
    const labels = [...new Set(answers.map((answer) => answer.label))];
    const places = answers.map((answer) => answer.entry.where).join(', ');
    if (labels.length > 1) {
      plan.problems.push({ kind: 'conflict', where: places, message: `${relPath}: ${places} disagree (${labels.join(' vs ')}); not labelled.` });
      continue;
    }
    if (answers.length > 1) plan.problems.push({ kind: 'duplicate', where: places, message: `${relPath}: ${places} all say ${labels[0]}; labelled once.` });
    const label = labels[0];
    if (!known.has(label)) {
      if (!options.allowNewClasses) {
        plan.problems.push({ kind: 'unknown-class', where: places, message: `${places} (${relPath}): "${label}" is not a class of this root; not labelled (allow new classes to add it).` });
        continue;
      }
      newCounts.set(label, (newCounts.get(label) ?? 0) + 1);
    }
    plan.changes.push({ relPath, label });
  }
  plan.newClasses = [...newCounts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  return plan;
}

/** Counts of the report's lines by kind, for summaries. */
export function countProblems(problems: readonly ImportProblem[]): Partial<Record<ImportProblemKind, number>> {
  const counts: Partial<Record<ImportProblemKind, number>> = {};
  for (const problem of problems) counts[problem.kind] = (counts[problem.kind] ?? 0) + 1;
  return counts;
}

class ImageFinder {
  private readonly paths: Set<string>;
  /** File name -> how many images have it, and the first one's path. */
  private readonly byName = new Map<string, { count: number; relPath: string }>();

  constructor(
    private readonly root: string,
    imagePaths: readonly string[],
  ) {
    this.paths = new Set(imagePaths.map((path) => path.normalize('NFC')));
    for (const path of this.paths) {
      const name = fileName(path);
      const seen = this.byName.get(name);
      this.byName.set(name, seen ? { count: seen.count + 1, relPath: seen.relPath } : { count: 1, relPath: path });
    }
  }

  find(entry: AnnotatedImage): Resolved {
    const problem = (kind: ImportProblemKind, why: string): Resolved => ({ kind: 'problem', problem: { kind, where: entry.where, message: `${entry.where} (${entry.ref}): ${why}; not read.` } });
    if (entry.rootPath !== undefined) {
      const path = normaliseManifestPath(entry.rootPath);
      if (!path.ok) return problem(path.reason === 'outside-root' ? 'outside-root' : 'unmatched', path.message);
      if (this.paths.has(path.relPath.normalize('NFC'))) return { kind: 'path', relPath: path.relPath.normalize('NFC') };
    }
    const named = this.pathNamed(entry.ref);
    if (named.kind === 'outside') return problem('outside-root', named.why);
    if (named.kind === 'path') {
      const segments = named.path.split('/');
      // The path itself, then without its leading folders (served from a folder above the root).
      for (let drop = 0; drop < segments.length; drop++) {
        const candidate = segments.slice(drop).join('/');
        if (this.paths.has(candidate)) return { kind: 'path', relPath: candidate };
      }
    }
    const name = named.kind === 'path' ? fileName(named.path) : named.name;
    const byName = this.byName.get(name);
    if (!byName) return problem('unmatched', `no image of the root is at that path or has the name ${name}`);
    if (byName.count > 1) return problem('ambiguous', `${byName.count} images of the root are named ${name} and the path names none of them`);
    return { kind: 'path', relPath: byName.relPath };
  }

  /** What the export's reference says: a path relative to some folder, just a file name, or a place outside the root. */
  private pathNamed(ref: string): { kind: 'path'; path: string } | { kind: 'name'; name: string } | { kind: 'outside'; why: string } {
    let text = ref.trim().normalize('NFC');
    const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(text);
    if (url) text = text.slice(url[0].length);
    const query = text.indexOf('?');
    if (text.startsWith(LOCAL_FILES_PREFIX.slice(0, LOCAL_FILES_PREFIX.indexOf('?'))) && query >= 0) {
      const served = new URLSearchParams(text.slice(query + 1)).get('d');
      if (served === null) return { kind: 'name', name: '' };
      return relativePath(served.normalize('NFC'));
    }
    if (url || text.startsWith('/data/')) {
      // Uploaded to Label Studio (/data/upload/<project>/<8 hex>-<name>) or any other URL: only the file name is left to go by.
      let name = fileName(text.split('?')[0]);
      try {
        name = decodeURIComponent(name);
      } catch {
        // Not percent-encoded after all: the name as it is.
      }
      return { kind: 'name', name: text.startsWith('/data/upload/') ? name.replace(/^[0-9a-f]{8}-/, '') : name };
    }
    if (isAbsolute(text) || /^[A-Za-z]:[\\/]/.test(text)) {
      const inside = relative(this.root, text);
      // The root itself is no image either.
      if (inside === '' || !isWithin(this.root, text)) return { kind: 'outside', why: `${text} is not inside the dataset root` };
      return relativePath(inside.split(sep).join('/'));
    }
    return relativePath(text);
  }
}

function relativePath(raw: string): { kind: 'path'; path: string } | { kind: 'outside'; why: string } | { kind: 'name'; name: string } {
  const path = normaliseManifestPath(raw.replace(/^\/+/, ''));
  if (path.ok) return { kind: 'path', path: path.relPath };
  return path.reason === 'outside-root' ? { kind: 'outside', why: path.message } : { kind: 'name', name: '' };
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
