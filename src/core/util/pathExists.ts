import { lstat, stat } from 'node:fs/promises';

/** Whether anything exists at path; lstat, so a broken symlink still counts as taken. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether a regular file is at path; a missing path is false, any other failure (permissions) is thrown. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
