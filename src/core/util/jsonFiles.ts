// Result folders (selections, label journals) hold one JSON file per run. Readers want them newest
// first, and must skip the dot-named temp files of atomic writes still in progress.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The `.json` file names of a folder, without dot names; empty when the folder does not exist. */
export async function jsonFileNames(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
  } catch {
    return [];
  }
}

/** Their paths, most recently modified first; the later name breaks ties, so the order is stable. Files removed meanwhile are left out. */
export async function jsonFilesNewestFirst(folder: string): Promise<string[]> {
  const dated = await Promise.all((await jsonFileNames(folder)).map(async (name) => ({ name, mtimeMs: await stat(join(folder, name)).then((s) => s.mtimeMs, () => -1) })));
  return dated
    .filter((entry) => entry.mtimeMs >= 0)
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
    .map((entry) => join(folder, entry.name));
}
