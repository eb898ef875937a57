// Deterministic names for files that would collide: `cat.png`, `cat (2).png`, `cat (3).png`...
// The same inputs always give the same name, so a plan can be shown before it runs.
import { extname } from 'node:path';

/** The n-th candidate name for `baseName` (n = 1 is the name itself). */
export function numberedName(baseName: string, n: number): string {
  if (n <= 1) return baseName;
  // A leading-dot name such as `.png` has no extension in Node's sense; keep it whole.
  const extension = extname(baseName);
  const stem = baseName.slice(0, baseName.length - extension.length);
  return `${stem} (${n})${extension}`;
}

/**
 * The first numbered name that `isTaken` does not report as taken. `isTaken` may be async (a file-system
 * check) and should also cover names already chosen earlier in the same batch.
 */
export async function firstFreeName(baseName: string, isTaken: (name: string) => boolean | Promise<boolean>): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = numberedName(baseName, n);
    if (!(await isTaken(candidate))) return candidate;
  }
}
