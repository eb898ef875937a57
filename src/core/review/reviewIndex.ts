// Everything the review views are computed from, for one dataset root: the images of a scan with
// their labels and content hashes, the problems the scan found, the latest selection, the latest
// results of the suggestion jobs and the review marks. Rebuilt after every change (label written, skip marked), never patched in place.

import type { DatasetProblem } from '../dataset/types';
import type { LoadedResults, LoadedSoftLabel, LoadedSuggestedLabel } from './resultFiles';
import type { ReviewMarks } from './reviewMarks';
import type { LoadedSelection } from './selectionFile';

export interface IndexedImage {
  relPath: string;
  absPath: string;
  label: string | null;
  /** COCO and YOLO roots: every class annotated in the image (label is the first). */
  classes?: string[];
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
    readonly results: LoadedResults,
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

  /**
   * The soft-label suggestions for an unlabelled image, when the latest suggestion run saw it
   * unlabelled too. A labelled image gets none: its number keys would only relabel what is settled.
   */
  /** The latest soft label of an image that was unlabelled then and is now (with its "new class?" mark). */
  softLabelFor(image: IndexedImage | undefined): LoadedSoftLabel | undefined {
    if (!image || image.label !== null) return undefined;
    const found = this.results.suggestions?.byPath.get(image.relPath);
    return found && found.label === null ? found : undefined;
  }

  suggestionsFor(image: IndexedImage | undefined): LoadedSuggestedLabel[] | undefined {
    if (!image || image.label !== null) return undefined;
    const found = this.results.suggestions?.byPath.get(image.relPath);
    return found && found.label === null ? found.suggestions : undefined;
  }

  isSkipped(image: IndexedImage | undefined): boolean {
    return image?.hash ? this.marks.skipped.has(image.hash) : false;
  }
}
