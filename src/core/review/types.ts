// What the review panel asks the engine for and gets back. Plain data: it crosses the engine RPC.
// Paths are relative to the dataset root with forward slashes; thumbnails are absolute file paths
// in the cache, which the extension host turns into webview URIs.

import type { AnnotationKind, ClassCount } from '../dataset/types';
import type { ModelSource } from '../embed/types';

export interface ReviewOpenParams {
  root: string;
  cacheDir: string;
  unlabeledFolderName: string;
  model: ModelSource;
  /**
   * Set when the workspace is not trusted: the root's cache is then only read (its selections and
   * skip marks), and what browsing makes (the content-hash index, thumbnails) goes into this folder
   * outside the workspace instead. Skip marks cannot be changed, and the embedding cache is left
   * closed, because opening it takes its lock and may repair its log, both writes.
   */
  scratchDir?: string;
  /** The scan the command just made of this root (ScanSummary.scanId), taken instead of scanning again. */
  scanId?: string;
}

export interface ReviewViewInfo {
  id: string;
  title: string;
  /** Items in the view now. */
  count: number;
  /** One line on what the view shows and in which order. */
  description: string;
}

export interface ReviewSelectionInfo {
  method: string;
  /** File name under <cacheDir>/selections/. */
  file: string;
  items: number;
}

/** The state of one root as the panel sees it; returned again after every change. */
export interface ReviewOverview {
  root: string;
  /** Increases whenever the item lists change; pages carry it so stale ones can be dropped. */
  generation: number;
  modelId: string | null;
  counts: { images: number; labelled: number; unlabelled: number; skipped: number; problems: number; embedded: number | null };
  classes: ClassCount[];
  views: ReviewViewInfo[];
  selection: ReviewSelectionInfo | null;
  /** Folder holding the thumbnails (the host allows the webview to load from it). */
  thumbsDir: string;
  /** Set for a COCO or YOLO root, whose labels are its annotations and are not written here. */
  annotations?: AnnotationKind;
}

export type ReasonValue = number | string;

/** A soft-label suggestion: a class and its probability. */
export interface ReviewSuggestion {
  label: string;
  p: number;
}

/** The group (cluster, duplicate group) an item of a grouped view belongs to. */
export interface ReviewGroupRef {
  /** Unique within its view. */
  id: string;
  title: string;
  /** Members in the view now. */
  size: number;
}

export interface ReviewItem {
  relPath: string;
  label: string | null;
  /** COCO and YOLO roots: every class annotated in the image, most instances first. */
  classes?: string[];
  /** Content hash; null when the file could not be read (or is not an image). */
  hash: string | null;
  skipped: boolean;
  /** Absolute path of the thumbnail, when one could be made. */
  thumbPath: string | null;
  /** Why there is no thumbnail (decode failure), or a problem found by the scan. */
  problem?: string;
  /** A few words shown as a badge on the card (the image problems' kinds). */
  tag?: string;
  rank?: number;
  score?: number;
  /** Method-specific reasons behind the score (distance, entropy, margin...). */
  reasons?: Record<string, ReasonValue>;
  /** Other files with identical content. */
  duplicates?: string[];
  /** Soft-label suggestions, most likely first; the number keys accept them. */
  suggestions?: ReviewSuggestion[];
  group?: ReviewGroupRef;
  /** Unlabelled images most likely of a class without labels yet ("new class?"), with that probability. */
  unknownClass?: boolean;
  pNewClass?: number;
}

export interface ReviewPageParams {
  root: string;
  view: string;
  offset: number;
  count: number;
}

export interface ReviewPage {
  view: string;
  generation: number;
  total: number;
  offset: number;
  items: ReviewItem[];
}

export interface ReviewDetailsParams {
  root: string;
  relPath: string;
  /** The view the image is shown in: its entry there gives the rank, score and reasons. */
  view?: string;
  /** How many nearest labelled neighbours to return. */
  neighbours: number;
}

export interface ReviewNeighbour {
  relPath: string;
  label: string;
  /** Cosine similarity of the centred embeddings, in [-1, 1]. */
  similarity: number;
  thumbPath: string | null;
}

export interface ReviewDetails {
  item: ReviewItem;
  previewPath: string | null;
  neighbours: ReviewNeighbour[];
  /** Why there are no neighbours (no embedding yet, no labelled images, cache busy...). */
  neighbourNote?: string;
}

export interface ReviewProjectionParams {
  root: string;
}

export type PointKind = 'labelled' | 'unlabelled' | 'selected';

export interface ReviewProjection {
  generation: number;
  relPaths: string[];
  /** Coordinates scaled into [0, 1], in the order of relPaths. */
  xs: number[];
  ys: number[];
  kinds: PointKind[];
  /** Share of the variance each of the two axes explains. */
  explained: [number, number];
  fromCache: boolean;
}

export interface ReviewMarkParams {
  root: string;
  relPaths: string[];
  skipped: boolean;
}

export interface ReviewGroupParams {
  root: string;
  view: string;
  groupId: string;
}

/** Every member of one group of a view, as the panel labels it in one action. */
export interface ReviewGroupMembers {
  group: ReviewGroupRef;
  relPaths: string[];
  /** The class most members' top suggestion names, and how many members it names it for. */
  suggested: { label: string; members: number } | null;
}

export interface ReviewExportItemsParams {
  root: string;
  view: string;
  /** Only these images of the view (the panel's selected tiles); all of the view when absent. */
  relPaths?: string[];
}

/** A view's images in display order, as Export Selection writes them (rank, path, score, label, reasons...). */
export interface ReviewExportItems {
  view: string;
  items: { relPath: string; rank: number; score?: number; label: string | null; [field: string]: unknown }[];
}
