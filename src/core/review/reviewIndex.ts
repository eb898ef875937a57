// Everything the review views are computed from, for one dataset root: the images of a scan with
// their labels and content hashes, the problems the scan found, the latest selection and the
// review marks. Rebuilt after every change (label written, skip marked), never patched in place.

import type { DatasetProblem } from '../dataset/types';
import type { ReviewMarks } from './reviewMarks';
import type { LoadedSelection } from './selectionFile';

export interface IndexedImage {
  relPath: string;
  absPath: string;
  label: string | null;
  /** Null when the file could not be read. */
  hash: string | null;
}

export class ReviewIndex {
  readonly byPath = new Map<string, IndexedImage>();
  /** Content hash -> every image with that content (duplicates), in path order. */
  readonly byHash = new Map<string, IndexedImage[]>();

  constructor(
    readonly images: readonly IndexedImage[],
    readonly problems: readonly DatasetProblem[],
    readonly selection: LoadedSelection | null,
    /** Path at selection time -> content hash, so a selected file that was moved is still found. */
    readonly selectionHashes: ReadonlyMap<string, string>,
    readonly marks: ReviewMarks,
  ) {
    for (const image of images) {
      this.byPath.set(image.relPath, image);
      if (image.hash) {
        const group = this.byHash.get(image.hash);
        if (group) group.push(image);
        else this.byHash.set(image.hash, [image]);
      }
    }
  }

  /** Where a path named by the selection file is now (itself, or the file that has its content). */
  currentPathOf(selectedPath: string): string | undefined {
    if (this.byPath.has(selectedPath)) return selectedPath;
    const hash = this.selectionHashes.get(selectedPath);
    return hash ? this.byHash.get(hash)?.[0]?.relPath : undefined;
  }

  isSkipped(image: IndexedImage | undefined): boolean {
    return image?.hash ? this.marks.skipped.has(image.hash) : false;
  }
}
