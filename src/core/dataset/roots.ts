// Finds the dataset roots inside a workspace folder, so that opening a folder is enough: no
// configuration for the common layouts (`<root>/<class>/*.png`, a labels manifest, a cache).
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAbortError } from '../util/abort';
import { formatFromFileName } from './imageFormat';
import { createLimiter, type Limiter } from '../util/concurrency';
import { COCO_ANNOTATIONS_FOLDER, isCocoInstancesName } from './cocoInstances';
import { MANIFEST_FILE_NAMES } from './manifestFile';
import { DEFAULT_UNLABELED_FOLDER } from './types';
import { isSkippedFolder } from './walk';
import { YOLO_DATA_FILE } from './yoloLabels';

export interface FindRootsOptions {
  /** Folder name that marks unlabelled images; default 'unlabeled'. */
  unlabeledFolderName?: string;
  /** Roots chosen by the user (relative to dir, or absolute). When non-empty, nothing is discovered. */
  explicitRoots?: readonly string[];
  signal?: AbortSignal;
  /** How many folder levels below dir are searched; default 8. Keeps a huge workspace without datasets cheap. */
  maxDepth?: number;
}

/** Name of the per-root cache folder; its presence marks a root that was scanned before. */
export const CACHE_FOLDER_NAME = '.curator';

const DISCOVERY_CONCURRENCY = 16;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const isFolderLike = (entry: Dirent): boolean => entry.isDirectory() || entry.isSymbolicLink();
const isFileLike = (entry: Dirent): boolean => entry.isFile() || entry.isSymbolicLink();

/**
 * Returns the dataset roots under dir, as absolute paths in sorted order. A folder is a root when
 * it holds labels.csv, labels.jsonl, a YOLO data.yaml, a `.curator` folder, an unlabelled-images
 * folder or COCO's annotations/instances_*.json, or when one of its immediate subfolders directly
 * contains image files. The search does not go below a root, and when dir itself is a root it is
 * the only one.
 */
export async function findDatasetRoots(dir: string, options: FindRootsOptions = {}): Promise<string[]> {
  const base = resolve(dir);
  if (options.explicitRoots && options.explicitRoots.length > 0) {
    return [...new Set(options.explicitRoots.map((root) => resolve(base, root)))].sort(byCodeUnits);
  }
  const unlabeledFolderName = options.unlabeledFolderName || DEFAULT_UNLABELED_FOLDER;
  const maxDepth = options.maxDepth ?? 8;
  const limit = createLimiter(DISCOVERY_CONCURRENCY, options.signal);
  const roots: string[] = [];

  const search = async (folder: string, entries: Dirent[], depth: number): Promise<void> => {
    const { isRoot, subfolderEntries } = await examineFolder(folder, entries, unlabeledFolderName, limit);
    if (isRoot) {
      roots.push(folder);
      return;
    }
    if (depth >= maxDepth) return;
    // Symlinked folders count as class folders above, but discovery does not descend through
    // them: that keeps it free of symlink loops, and a dataset behind a link is still found
    // when the link is its class folder or it is configured explicitly.
    const realSubfolders = entries.filter((entry) => entry.isDirectory() && !isSkippedFolder(entry.name));
    await Promise.all(
      realSubfolders.map((entry) => search(join(folder, entry.name), subfolderEntries.get(entry.name) ?? [], depth + 1)),
    );
  };

  await search(base, await listFolder(base, limit), 0);
  return roots.sort(byCodeUnits);
}

async function listFolder(folder: string, limit: Limiter): Promise<Dirent[]> {
  try {
    return await limit(() => readdir(folder, { withFileTypes: true }));
  } catch (error) {
    if (isAbortError(error)) throw error;
    // An unreadable folder (or a symlink that is not a folder) is simply not a dataset.
    return [];
  }
}

/** Decides whether folder is a root; also returns its subfolders' listings so the search reads each folder once. */
async function examineFolder(
  folder: string,
  entries: Dirent[],
  unlabeledFolderName: string,
  limit: Limiter,
): Promise<{ isRoot: boolean; subfolderEntries: Map<string, Dirent[]> }> {
  const subfolderEntries = new Map<string, Dirent[]>();
  const manifestNames = new Set<string>(Object.values(MANIFEST_FILE_NAMES));
  const hasMarker = entries.some(
    (entry) =>
      (isFileLike(entry) && (manifestNames.has(entry.name) || entry.name === YOLO_DATA_FILE)) ||
      (isFolderLike(entry) && (entry.name === CACHE_FOLDER_NAME || entry.name === unlabeledFolderName)),
  );
  if (hasMarker) return { isRoot: true, subfolderEntries };

  const subfolders = entries.filter((entry) => isFolderLike(entry) && !isSkippedFolder(entry.name));
  const listings = await Promise.all(subfolders.map((entry) => listFolder(join(folder, entry.name), limit)));
  subfolders.forEach((entry, i) => subfolderEntries.set(entry.name, listings[i]!));
  const holdsImages = listings.some((listing) =>
    listing.some((child) => isFileLike(child) && formatFromFileName(child.name) !== undefined),
  );
  const cocoFiles = subfolderEntries.get(COCO_ANNOTATIONS_FOLDER)?.some((child) => isFileLike(child) && isCocoInstancesName(child.name)) ?? false;
  const isRoot = holdsImages || cocoFiles;
  return { isRoot, subfolderEntries };
}
