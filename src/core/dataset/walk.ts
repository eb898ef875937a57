// Walks a dataset root and hands every file to the caller. Hidden folders (which include the
// `.curator` cache) and node_modules are skipped. Symlinks are followed only while they resolve
// inside the root, and a symlinked folder that leads back to one of its own ancestors is reported
// as a loop instead of being walked forever.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin } from '../workspace/insideRoot';
import { isAbortError } from '../util/abort';
import type { Limiter } from '../util/concurrency';
import type { DatasetProblem } from './types';

export interface WalkedFile {
  /** Relative to the root, forward slashes. */
  relPath: string;
  /** The path through the root (a symlinked file keeps its link path). */
  absPath: string;
  /** The last segment of relPath. */
  name: string;
}

export interface WalkHandlers {
  onFile(file: WalkedFile): void;
  onProblem(problem: DatasetProblem): void;
}

/** Folders never walked: hidden ones (".git", ".curator", ...) and node_modules. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Calls handlers.onFile for every regular file under root (directly or through a symlink that
 * stays inside the root). Sockets, FIFOs and devices are skipped. File-system calls go through
 * `limit`, which also carries cancellation. Rejects only when the root itself cannot be read or
 * the scan is aborted; everything else becomes a problem.
 */
export async function walkDatasetTree(root: string, handlers: WalkHandlers, limit: Limiter): Promise<void> {
  const realRoot = await realpath(root);

  const walkFolder = async (absDir: string, relDir: string, realAncestors: readonly string[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await limit(() => readdir(absDir, { withFileTypes: true }));
    } catch (error) {
      if (isAbortError(error) || relDir === '') throw error;
      handlers.onProblem({
        relPath: relDir,
        kind: 'unreadable-folder',
        severity: 'error',
        message: `The folder could not be read (${errorCode(error)}); its images are missing from the scan.`,
      });
      return;
    }
    const realDir = realAncestors[realAncestors.length - 1]!;
    const pending: Promise<void>[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const relPath = relDir === '' ? name : `${relDir}/${name}`;
      const absPath = join(absDir, name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(name)) pending.push(walkFolder(absPath, relPath, [...realAncestors, join(realDir, name)]));
      } else if (entry.isFile()) {
        handlers.onFile({ relPath, absPath, name });
      } else if (entry.isSymbolicLink()) {
        pending.push(followSymlink({ relPath, absPath, name }, realAncestors));
      }
    }
    await Promise.all(pending);
  };

  const followSymlink = async (link: WalkedFile, realAncestors: readonly string[]): Promise<void> => {
    const warn = (kind: DatasetProblem['kind'], message: string): void =>
      handlers.onProblem({ relPath: link.relPath, kind, severity: 'warning', message });
    let target: string;
    let isDirectory: boolean;
    let isFile: boolean;
    try {
      target = await limit(() => realpath(link.absPath));
      const targetStats = await limit(() => stat(target));
      isDirectory = targetStats.isDirectory();
      isFile = targetStats.isFile();
    } catch (error) {
      if (isAbortError(error)) throw error;
      if (errorCode(error) === 'ELOOP') warn('symlink-loop', 'The symlink points to itself through a chain of links; it is not followed.');
      else warn('broken-symlink', `The symlink's target cannot be reached (${errorCode(error)}); it is not followed.`);
      return;
    }
    if (isDirectory && isSkippedFolder(link.name)) return;
    if (!isWithin(realRoot, target)) {
      warn('symlink-outside-root', `The symlink leads outside the dataset root (to ${target}); it is not followed.`);
      return;
    }
    if (isDirectory) {
      if (realAncestors.includes(target)) {
        warn('symlink-loop', 'The symlink leads back to a folder that contains it; it is not followed.');
        return;
      }
      await walkFolder(link.absPath, link.relPath, [...realAncestors, target]);
    } else if (isFile) {
      handlers.onFile(link);
    }
  };

  await walkFolder(root, '', [realRoot]);
}
