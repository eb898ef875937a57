// What a dataset scan produces. Everything here is plain data so it can cross the engine's RPC
// boundary and be cached as JSON.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff';

export type ManifestKind = 'csv' | 'jsonl';

/** Object-detection annotations read as labels: COCO instances files or a YOLO data.yaml tree (docs/coco-yolo.md). */
export type AnnotationKind = 'coco' | 'yolo';

export interface ImageEntry {
  /** Path relative to the dataset root, always with forward slashes. */
  relPath: string;
  /** Absolute path as reached from the root (symlinks are not resolved). */
  absPath: string;
  /**
   * Class name, or null when the image is unlabelled. For COCO and YOLO roots: the class with the
   * most instances in the image (ties by name), NO_OBJECTS_LABEL for an image annotated with no
   * objects, null for an image no annotation file lists.
   */
  label: string | null;
  /** Where the label (or the explicit "unlabelled") came from; null for images that are unlabelled by location. */
  labelSource: 'folder' | 'manifest' | AnnotationKind | null;
  /** COCO and YOLO roots only: every class annotated in the image, by instance count (most first), then name. */
  classes?: string[];
  size: number;
  mtimeMs: number;
  /** Format found in the file's content, which can differ from what its extension says. */
  format: ImageFormat;
}

export type ProblemKind =
  // Files that look like images by name.
  | 'empty-file'
  | 'not-an-image'
  | 'format-mismatch'
  | 'unreadable'
  // Walking the tree.
  | 'unreadable-folder'
  | 'symlink-outside-root'
  | 'symlink-loop'
  | 'broken-symlink'
  // Label manifests.
  | 'manifest-conflict'
  | 'manifest-unreadable'
  | 'manifest-missing-column'
  | 'manifest-malformed-row'
  | 'manifest-duplicate-path'
  | 'manifest-path-outside-root'
  | 'manifest-unknown-file'
  // COCO and YOLO annotations.
  | 'annotations-conflict'
  | 'annotations-unreadable'
  | 'annotation-malformed'
  | 'annotation-unknown-class'
  | 'annotation-duplicate-image'
  | 'annotation-path-outside-root'
  | 'annotation-unknown-file';

export interface DatasetProblem {
  /** The file the problem is about, relative to the root (for manifest rows: the manifest itself). */
  relPath: string;
  kind: ProblemKind;
  /** 'error': the file or row was left out. 'warning': it was used, but deserves a look. */
  severity: 'error' | 'warning';
  message: string;
  /** 1-based line in a manifest, for problems about manifest rows. */
  line?: number;
}

export interface ClassCount {
  name: string;
  count: number;
}

export interface DatasetCounts {
  images: number;
  labelled: number;
  unlabelled: number;
  /** Files that are not images by extension (the label manifest itself is not counted). */
  ignoredFiles: number;
}

export interface ManifestSummary {
  relPath: string;
  kind: ManifestKind | AnnotationKind;
  /** Rows that were usable (well formed, inside the root, not duplicates); for COCO and YOLO: images annotated. */
  rows: number;
  /** COCO and YOLO: every annotation file read (relPath is the first). */
  files?: string[];
}

export interface DatasetScan {
  /** Absolute path of the dataset root. */
  root: string;
  /** Sorted by relPath (code-unit order, independent of locale). */
  images: ImageEntry[];
  /** Sorted by count descending, then name. */
  classes: ClassCount[];
  counts: DatasetCounts;
  manifest: ManifestSummary | null;
  /** Sorted by relPath, then line. */
  problems: DatasetProblem[];
}

export interface ScanOptions {
  /** Folder under the root that holds unlabelled images; default 'unlabeled'. */
  unlabeledFolderName?: string;
  signal?: AbortSignal;
  /** Called now and then (not for every file) with the number of files examined so far, and once at the end. */
  onProgress?: (filesSeen: number) => void;
}

export const DEFAULT_UNLABELED_FOLDER = 'unlabeled';

/** Label of an image that a COCO or YOLO file lists with no objects in it (a negative, not an unlabelled image). */
export const NO_OBJECTS_LABEL = 'background';
