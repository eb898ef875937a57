// What the COCO and YOLO subset exports share: the selected images, already checked against the
// root, and what an export reports back.
import { constants } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface SubsetItem {
  /** Normalised path relative to the root. */
  path: string;
  absPath: string;
}

export interface SubsetRunOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface SubsetResult {
  /** Images written, relative to the export folder, in rank order. */
  files: string[];
  /** Paths listed twice in the selection: the first is exported. */
  repeated: string[];
}

/** Copies a file to the same relative path under folder, never over an existing file. */
export async function copyInto(folder: string, relPath: string, from: string): Promise<void> {
  const target = join(folder, relPath);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(from, target, constants.COPYFILE_EXCL);
}

/** The items without repeats (first wins), keyed the way the scan keys paths. */
export function distinctItems<T extends SubsetItem>(items: readonly T[]): { unique: T[]; repeated: string[] } {
  const seen = new Set<string>();
  const unique: T[] = [];
  const repeated: string[] = [];
  for (const item of items) {
    const key = item.path.normalize('NFC');
    if (seen.has(key)) repeated.push(item.path);
    else {
      seen.add(key);
      unique.push(item);
    }
  }
  return { unique, repeated };
}
