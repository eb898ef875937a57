// What a dataset scan produces. Everything here is plain data so it can cross the engine's RPC
// boundary and be cached as JSON.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff';

export type ManifestKind = 'csv' | 'jsonl';

export interface ImageEntry {
  /** Path relative to the dataset root, always with forward slashes. */
  relPath: string;
  /** Absolute path as reached from the root (symlinks are not resolved). */
  absPath: string;
  /** Class name, or null when the image is unlabelled. */
  label: string | null;
  /** Where the label (or the explicit "unlabelled") came from; null for images that are unlabelled by location. */
  labelSource: 'folder' | 'manifest' | null;
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
  | 'manifest-unknown-file';

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
  kind: ManifestKind;
  /** Rows that were usable (well formed, inside the root, not duplicates). */
  rows: number;
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
