// A writer killed mid-write leaves its temp file (`.labels.csv.<pid>.<random>.tmp`, from
// writeFileAtomic) beside the manifest. The manifest itself is never damaged, but the leftovers
// would pile up; the next writer removes those whose process is gone. (The lock's own temp files
// are cleaned up by the lock, src/core/util/fileLock.ts.)
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from '../util/processAlive';

/**
 * Removes leftover temp files of `manifestPath` written by processes that no longer run (or by
 * this process, whose own writes are serialised and finished by the time this is called).
 * Call it while holding the manifest lock. Returns the names removed.
 */
export async function removeStaleTempFiles(manifestPath: string): Promise<string[]> {
  const folder = dirname(manifestPath);
  const name = basename(manifestPath);
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  for (const entry of await readdir(folder)) {
    const match = pattern.exec(entry);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isProcessAlive(pid)) continue;
    await rm(join(folder, entry), { force: true });
    removed.push(entry);
  }
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
