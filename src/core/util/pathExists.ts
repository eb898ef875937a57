import { lstat } from 'node:fs/promises';

/** Whether anything exists at path; lstat, so a broken symlink still counts as taken. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
