// What the embedding pipeline takes and reports. Plain data: it crosses the engine RPC.

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';
export type ExecutionProviderName = 'cpu' | 'cuda';

export interface ModelSource {
  /** `default`, an absolute descriptor path, or a descriptor URL (see the model registry). */
  setting: string;
  /** Folder holding the bundled default model's descriptor. */
  bundledDir: string;
  /** Folder where downloaded models are kept. */
  storageDir: string;
  /** Base URL of a mirror of the model catalogue's files (see the model registry); unset: upstream. */
  mirror?: string;
}

export interface EmbedDatasetParams {
  root: string;
  unlabeledFolderName: string;
  /** Folder for this root's cache (already resolved from the cache-location setting). */
  cacheDir: string;
  model: ModelSource;
  executionProvider: ExecutionProviderSetting;
  batchSize: number;
  /** Compute the image statistics for the quality checks (core/quality) in the same pass. Default true; false only to measure their cost. */
  imageStats?: boolean;
  /** FreeSel patterns per image (K) computed from the model's feature map, when it has one. Default 1. */
  patternCount?: number;
  /**
   * Embed only this deterministic share of the images (by path), into a shard cache of its own, so
   * that n machines can each run one shard; `curator merge` (or the next unsharded run) combines them.
   */
  shard?: ShardSpec;
  /** The scan the command just made of this root (ScanSummary.scanId), taken instead of scanning again. */
  scanId?: string;
}

export interface ShardSpec {
  /** 0-based shard number, below count. */
  index: number;
  count: number;
}

export interface EmbedProgress {
  phase: 'model' | 'scan' | 'hash' | 'embed';
  /** Items done and total in this phase (files hashed, images embedded, bytes downloaded). */
  done: number;
  total: number;
  imagesPerSecond?: number;
}

export interface ImageFailure {
  relPath: string;
  message: string;
}

export interface EmbedDatasetResult {
  root: string;
  modelId: string;
  modelName: string;
  provider: ExecutionProviderName;
  /** Why this provider runs, in words (e.g. why CUDA was not used). */
  providerNote: string;
  dim: number;
  images: number;
  embedded: number;
  fromCache: number;
  failed: ImageFailure[];
  seconds: number;
  /** Images embedded per second over the decode+inference phase (0 when nothing was embedded). */
  imagesPerSecond: number;
  /** Messages about cache problems found and repaired on open. */
  cacheRepairs: string[];
  /** Images whose FreeSel patterns were computed in this run (0 when the model has no feature map). */
  patternsComputed?: number;
  /** Images whose statistics for the quality checks were computed in this run (the others were cached). */
  statsComputed?: number;
  /** The shard this run embedded; `images` then counts only that shard's images. */
  shard?: ShardSpec;
  /** Records taken in from finished shard runs before this (unsharded) run. */
  mergedShardRecords?: number;
  /**
   * The encoder check: share (0-1) of labelled images whose nearest labelled neighbour has their
   * label (core/embed/neighbourAgreement). Absent with fewer than 20 labelled images or 2 classes,
   * and for shard runs.
   */
  neighbourAgreement?: number;
  /** Labelled images the check used (at most 1,000). */
  neighbourAgreementImages?: number;
}
