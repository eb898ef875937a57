// Curator: Export Selection — the ranked images of a selection, either as files (copies or
// symlinks) in a folder, or as a CSV / JSON list.
//
// Files are written flat, named `<rank>_<file name>` with the rank zero-padded, so any file browser
// shows them in ranked order and two images called `0001.png` in different folders cannot collide.
// Nothing is ever overwritten: a name that already exists in the folder is reported and skipped.
// Symlinks point at the image's absolute path, so they work wherever the folder is.
import { constants } from 'node:fs';
import { copyFile, mkdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { selectionCsv, selectionJson, type ExportItem, type ListedItem } from '../export/selectionList';
import { writeFileAtomic } from '../util/atomicWrite';
import { throwIfAborted } from '../util/abort';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { pathExists } from '../util/pathExists';
import { exportSubsetInto, type SubsetExportMode } from './exportSubset';

export type { ExportItem } from '../export/selectionList';

export type ExportSelectionMode = 'copy' | 'symlink' | 'csv' | 'json' | SubsetExportMode;

export interface ExportRunOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportFilesOptions extends ExportRunOptions {
  mode: 'copy' | 'symlink';
  /** Created when missing. */
  outDir: string;
}

export interface ExportListOptions extends ExportRunOptions {
  mode: 'csv' | 'json';
  /** Must not exist yet. */
  outFile: string;
}

/** A COCO or YOLO subset of a root of that kind (docs/coco-yolo.md); outDir must not exist yet. */
export interface ExportSubsetOptions extends ExportRunOptions {
  mode: SubsetExportMode;
  outDir: string;
}

export type ExportSelectionOptions = ExportFilesOptions | ExportListOptions | ExportSubsetOptions;

export interface ExportSelectionProblem {
  /** The item's path as given. */
  relPath: string;
  kind: 'outside-root' | 'missing' | 'not-a-file' | 'exists' | 'failed';
  message: string;
}

export interface ExportSelectionResult {
  mode: ExportSelectionMode;
  /** The folder or list file written. */
  out: string;
  requested: number;
  /** Images copied or linked, or rows in the list. */
  exported: number;
  /** For copy/symlink: the names written in the folder, in rank order. */
  files: string[];
  problems: ExportSelectionProblem[];
}

interface ResolvedItem extends ListedItem {
  absPath: string;
}

export async function exportSelection(root: string, items: readonly ExportItem[], options: ExportSelectionOptions): Promise<ExportSelectionResult> {
  const out = 'outDir' in options ? options.outDir : options.outFile;
  const result: ExportSelectionResult = { mode: options.mode, out, requested: items.length, exported: 0, files: [], problems: [] };
  const resolved = await resolveItems(root, items, result.problems, options.signal);

  if ('outFile' in options) {
    if (await pathExists(options.outFile)) throw new Error(`${options.outFile} already exists; choose another file name (exports never overwrite).`);
    await writeFileAtomic(options.outFile, options.mode === 'csv' ? selectionCsv(resolved) : selectionJson(resolved));
    result.exported = resolved.length;
    options.onProgress?.(items.length, items.length);
    return result;
  }

  if (options.mode === 'coco' || options.mode === 'yolo') return exportSubsetInto(root, resolved, options.mode, options.outDir, options, result);
  await mkdir(options.outDir, { recursive: true });
  const width = Math.max(4, String(Math.max(0, ...resolved.map((item) => Math.floor(item.rank)))).length);
  for (const [index, item] of resolved.entries()) {
    throwIfAborted(options.signal);
    const name = `${String(Math.floor(item.rank)).padStart(width, '0')}_${item.path.slice(item.path.lastIndexOf('/') + 1)}`;
    const target = join(options.outDir, name);
    try {
      if (options.mode === 'copy') await copyFile(item.absPath, target, constants.COPYFILE_EXCL);
      else await symlink(item.absPath, target, 'file');
      result.files.push(name);
      result.exported++;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.problems.push(
        code === 'EEXIST'
          ? { relPath: item.path, kind: 'exists', message: `${name} already exists in ${options.outDir}; it was not overwritten.` }
          : { relPath: item.path, kind: 'failed', message: `${item.path} could not be ${options.mode === 'copy' ? 'copied' : 'linked'}: ${(error as Error).message}` },
      );
    }
    options.onProgress?.(index + 1, resolved.length);
  }
  return result;
}

/**
 * Exports to `out`, which is a folder for copy and symlink (created when missing), a new folder for
 * coco and yolo, and a new file for csv and json: what `curator export-selection` and the editor's
 * Export Selection both run.
 */
export function exportSelectionTo(root: string, items: readonly ExportItem[], mode: ExportSelectionMode, out: string, run: ExportRunOptions = {}): Promise<ExportSelectionResult> {
  return mode === 'csv' || mode === 'json' ? exportSelection(root, items, { mode, outFile: out, ...run }) : exportSelection(root, items, { mode, outDir: out, ...run });
}

/** Checks every item against the root; ranks default to the position in the list (1-based). */
async function resolveItems(root: string, items: readonly ExportItem[], problems: ExportSelectionProblem[], signal?: AbortSignal): Promise<ResolvedItem[]> {
  const resolved: ResolvedItem[] = [];
  for (const [index, item] of items.entries()) {
    throwIfAborted(signal);
    const { relPath, rank, score, label, ...extra } = item;
    const path = normaliseManifestPath(relPath);
    if (!path.ok) {
      problems.push({ relPath, kind: path.reason === 'outside-root' ? 'outside-root' : 'missing', message: `${relPath}: ${path.message}; it was left out.` });
      continue;
    }
    const absPath = await resolveInsideRoot(root, path.relPath);
    if (!absPath) {
      const found = await pathExists(join(root, path.relPath));
      problems.push(
        found
          ? { relPath, kind: 'outside-root', message: `${path.relPath} leads outside the dataset root (through a symlink); it was left out.` }
          : { relPath, kind: 'missing', message: `${path.relPath} does not exist (moved or deleted since the selection was made); it was left out.` },
      );
      continue;
    }
    if (!(await stat(absPath)).isFile()) {
      problems.push({ relPath, kind: 'not-a-file', message: `${path.relPath} is not a file; it was left out.` });
      continue;
    }
    resolved.push({
      absPath,
      path: path.relPath,
      rank: typeof rank === 'number' && Number.isFinite(rank) ? rank : index + 1,
      score: typeof score === 'number' ? score : undefined,
      label: typeof label === 'string' || label === null ? label : undefined,
      extra: definedOnly(extra),
    });
  }
  return resolved;
}

function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
