// Moves one file to a name that must not exist yet, for label changes made outside the editor.
// `rename` would silently replace a file that appeared at the target after the plan was made, so
// the move is a hard link (which fails if the target exists) followed by removing the old name.
// A process killed between the two leaves both names on one file: nothing is lost, and undo
// recognises the pair (see sameFile).
import { link, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathExists } from '../util/pathExists';

export class TargetExistsError extends Error {}

export async function moveWithoutOverwrite(fromPath: string, toPath: string): Promise<void> {
  await mkdir(dirname(toPath), { recursive: true });
  try {
    await link(fromPath, toPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TargetExistsError(`${toPath} already exists`);
    // File systems without hard links (some network and FAT drives): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    if (await pathExists(toPath)) throw new TargetExistsError(`${toPath} already exists`);
    await rename(fromPath, toPath);
    return;
  }
  await unlink(fromPath);
}

/** Whether two paths name the same file (a move interrupted between link and unlink). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
