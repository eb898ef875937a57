// Resolves a root-relative path and refuses anything that would leave the root: `..` segments,
// absolute paths, Windows drive letters, and symlinks that point outside.

import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export async function resolveInsideRoot(root: string, relPath: string): Promise<string | undefined> {
  if (!relPath || isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath) || relPath.includes('\u0000')) return undefined;
  const segments = relPath.split(/[\\/]/);
  if (segments.some((segment) => segment === '..')) return undefined;
  const candidate = resolve(root, ...segments);
  if (!isWithin(resolve(root), candidate)) return undefined;
  try {
    const [realRoot, realCandidate] = await Promise.all([realpath(root), realpath(candidate)]);
    return isWithin(realRoot, realCandidate) ? candidate : undefined;
  } catch {
    return undefined; // missing files are not opened either
  }
}

/** Whether path is folder itself or lies below it (lexically: no symlinks are followed). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
