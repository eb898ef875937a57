// meta.json says which model and which record format a cache folder was written for. A folder that
// disagrees is set aside rather than read: vectors from another model or format would be wrong
// without any error.
import { lstat, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';

export const CACHE_FORMAT_VERSION = 1;
export const META_FILE = 'meta.json';

export interface CacheMeta {
  formatVersion: number;
  modelId: string;
  created: string;
}

export type MetaCheck = { status: 'ok' } | { status: 'absent' } | { status: 'mismatch'; reason: string };

/** Compares `<folder>/meta.json` with what this version and model expect. */
export async function checkCacheMeta(folder: string, modelId: string, logFile: string): Promise<MetaCheck> {
  let text: string;
  try {
    text = await readFile(join(folder, META_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return (await exists(join(folder, logFile)))
      ? { status: 'mismatch', reason: `${logFile} exists without ${META_FILE}` }
      : { status: 'absent' };
  }
  let meta: Partial<CacheMeta>;
  try {
    meta = JSON.parse(text) as Partial<CacheMeta>;
  } catch {
    return { status: 'mismatch', reason: `${META_FILE} is not valid JSON` };
  }
  if (meta.formatVersion !== CACHE_FORMAT_VERSION) {
    return { status: 'mismatch', reason: `cache format ${String(meta.formatVersion)}, this version uses ${CACHE_FORMAT_VERSION}` };
  }
  if (meta.modelId !== modelId) {
    return { status: 'mismatch', reason: `cache belongs to model "${String(meta.modelId)}", not "${modelId}"` };
  }
  return { status: 'ok' };
}

export async function writeCacheMeta(folder: string, modelId: string): Promise<void> {
  const meta: CacheMeta = { formatVersion: CACHE_FORMAT_VERSION, modelId, created: new Date().toISOString() };
  await writeFileAtomic(join(folder, META_FILE), JSON.stringify(meta, null, 2) + '\n');
}

/** Renames `folder` out of the way (`<folder>.set-aside-<time>`) and returns the new path. */
export async function setFolderAside(folder: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const target = `${folder}.set-aside-${stamp}${n === 0 ? '' : `-${n}`}`;
    if (await exists(target)) continue;
    await rename(folder, target);
    return target;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
