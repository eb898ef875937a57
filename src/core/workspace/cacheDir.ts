// Where a dataset root's cache lives: `<root>/.curator/` by default, or under a user-chosen folder.

import { createHash } from 'node:crypto';
import { basename, isAbsolute, join, resolve } from 'node:path';

export const DEFAULT_CACHE_DIR_NAME = '.curator';

/**
 * @param cacheLocation the `curator.cacheLocation` setting: empty for `<root>/.curator`, otherwise an
 *   absolute folder under which each root gets its own sub-folder (named after the root plus a hash of
 *   its full path, so two roots called `data` never share a cache).
 */
export function resolveCacheDir(root: string, cacheLocation: string): string {
  const location = cacheLocation.trim();
  if (!location) return join(root, DEFAULT_CACHE_DIR_NAME);
  if (!isAbsolute(location)) {
    throw new Error(`curator.cacheLocation must be an absolute path (got "${location}"); leave it empty to use <root>/${DEFAULT_CACHE_DIR_NAME}.`);
  }
  const rootPath = resolve(root);
  const tag = createHash('sha256').update(rootPath).digest('hex').slice(0, 10);
  return join(location, `${basename(rootPath) || 'root'}-${tag}`);
}
