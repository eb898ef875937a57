// Files on disk -> cached embeddings, for one dataset root.
// Work is keyed by content hash: unchanged files are not re-hashed (size + mtime match the file-state
// index), known hashes are not re-embedded, and identical files are embedded once.
// Decoding of the next batches runs on sharp's threads while the current batch is in the model.

import { EmbeddingStore } from '../cache/embeddingStore';
import { describeStoreRepairs } from './storeRepairs';
import { messageOf } from '../util/errors';
import { scanDataset } from '../dataset/scan';
import type { ScanHandoff } from '../dataset/scanHandoff';
import type { ImageEntry } from '../dataset/types';
import { decodeImage, type DecodedParts, type DecodedPixels } from '../embed/imageDecoder';
import type { EncoderCache } from '../embed/encoderCache';
import type { EmbedDatasetParams, EmbedDatasetResult, EmbedProgress, ImageFailure } from '../embed/types';
import { throwIfAborted } from '../util/concurrency';
import { hashImages } from '../pool/contentHashes';
import { EMBEDDING_KIND } from '../pool/rootPool';
import { checkEncoder } from './encoderCheck';
import { inShard, mergeShards, shardCacheDir } from './shards';
import { DEFAULT_PATTERN_COUNT, patternsKind, semanticPatterns } from '../select/semanticPatterns';
import { SharedOrExclusive } from '../util/sharedOrExclusive';
import { pixelStats, STATS_FIELDS, STATS_KIND, statsToRecord } from '../quality/imageStats';

// Re-exported for the callers that read back what this job wrote.
export { EMBEDDING_KIND };

/**
 * Batches decoded ahead of the one in the model. With one, the thread pool sits idle while this
 * thread stores a batch's results; more than two would only hold more tensors in memory.
 */
export const DECODE_AHEAD_BATCHES = 2;

export interface PipelineContext {
  encoders: EncoderCache;
  /** Where the scan named by params.scanId is kept (the engine's); without it the root is scanned. */
  scans?: ScanHandoff;
  signal?: AbortSignal;
  onProgress?: (progress: EmbedProgress) => void;
}

export async function embedDataset(params: EmbedDatasetParams, context: PipelineContext): Promise<EmbedDatasetResult> {
  const started = performance.now();
  const { signal } = context;
  const report = throttled(context.onProgress);

  report({ phase: 'model', done: 0, total: 0 });
  const encoder = await context.encoders.get(params.model, params.executionProvider, {
    signal,
    onProgress: (done, total) => report({ phase: 'model', done, total }),
  });
  throwIfAborted(signal);

  report({ phase: 'scan', done: 0, total: 0 });
  const scan =
    context.scans?.take(params.scanId, params.root, params.unlabeledFolderName) ??
    (await scanDataset(params.root, {
      unlabeledFolderName: params.unlabeledFolderName,
      signal,
      onProgress: (filesSeen) => report({ phase: 'scan', done: filesSeen, total: 0 }),
    }));

  // A shard run embeds its share into a cache of its own; an unsharded run first takes in what
  // finished shard runs left behind.
  const { shard } = params;
  const images = shard ? scan.images.filter((image) => inShard(image.relPath, shard)) : scan.images;
  const cacheDir = shard ? shardCacheDir(params.cacheDir, shard) : params.cacheDir;
  const merged = shard ? undefined : await mergeShards(params.cacheDir, encoder.descriptor.id);

  const hashes = await hashImages(images, cacheDir, { signal, onProgress: (done, total) => report({ phase: 'hash', done, total }) });
  const failed: ImageFailure[] = [...hashes.failures];

  const store = await EmbeddingStore.open(cacheDir, encoder.descriptor.id);
  // FreeSel's patterns come from the same forward pass; images cached before patterns existed
  // (or under another K) get only their patterns computed.
  const patternCount = Math.max(1, Math.floor(params.patternCount ?? DEFAULT_PATTERN_COUNT));
  const patternKind = encoder.hasFeatureMap ? patternsKind(patternCount) : undefined;
  let patternsComputed = 0;
  // The image statistics (core/quality) ride along the same way: from the pixels decoded for the
  // model, and for images embedded before they existed, from one decode without a forward pass.
  const withStats = params.imageStats !== false;
  let statsComputed = 0;
  let embeddedImages = 0;
  let fromCache = 0;
  let decodeSeconds = 0;
  // The encoder learns its output width from a forward pass; a run served wholly from the cache
  // makes none, so the width comes from a cached record instead.
  let cachedDim: number | undefined;
  try {
    // One job per distinct content: duplicates share an embedding.
    const jobs = new Map<string, ImageEntry[]>();
    const needsForward = (hash: string): boolean => !store.has(hash, EMBEDDING_KIND) || (patternKind !== undefined && !store.has(hash, patternKind));
    const needsStats = (hash: string): boolean => withStats && !store.has(hash, STATS_KIND);
    for (const image of images) {
      const hash = hashes.byPath.get(image.relPath);
      if (hash === undefined) continue;
      if (store.has(hash, EMBEDDING_KIND)) {
        fromCache++;
        cachedDim ??= store.shapeOf(hash, EMBEDDING_KIND)?.[0];
      }
      if (!needsForward(hash) && !needsStats(hash)) continue;
      const group = jobs.get(hash);
      if (group) group.push(image);
      else jobs.set(hash, [image]);
    }
    const work = [...jobs.entries()];
    const batchSize = Math.max(1, Math.floor(params.batchSize));
    const batches: Array<typeof work> = [];
    for (let i = 0; i < work.length; i += batchSize) batches.push(work.slice(i, i + batchSize));

    const decode = (hash: string, images: ImageEntry[]) =>
      decodeImage(images[0].absPath, encoder.descriptor.input, { keepPixels: needsStats(hash), skipTensor: !needsForward(hash) });
    // Batches decode concurrently (the queue below), so a retry must wait for them to be truly alone.
    const decodeGate = new SharedOrExclusive();
    type Decoded = { hash: string; images: ImageEntry[]; image: DecodedParts | undefined };
    const decodeBatch = async (batch: typeof work) => {
      const decoded: Decoded[] = await Promise.all(
        batch.map(async ([hash, images]) => {
          try {
            return { hash, images, image: await decodeGate.shared(() => decode(hash, images)) };
          } catch {
            return { hash, images, image: undefined };
          }
        }),
      );
      // libvips keeps one error buffer for the whole process, so a message caught while other
      // decodes ran may describe another file. Each failure is decoded once more on its own, for
      // its own message (and in case the first failure was only contention), with every other
      // batch's decodes held back meanwhile.
      for (const [i, item] of decoded.entries()) {
        if (item.image) continue;
        try {
          decoded[i] = { ...item, image: await decodeGate.alone(() => decode(item.hash, item.images)) };
        } catch (error) {
          for (const image of item.images) failed.push({ relPath: image.relPath, message: messageOf(error) });
        }
      }
      return decoded.flatMap((item) => (item.image ? [{ hash: item.hash, images: item.images, tensor: item.image.data, pixels: item.image.pixels }] : []));
    };

    const embedStarted = performance.now();
    let done = 0;
    report({ phase: 'embed', done: 0, total: work.length });
    // A bounded queue of batches being decoded: the thread pool keeps decoding while the model
    // runs and while this thread stores results, and memory stays at a few batches of tensors.
    const decoding: Array<ReturnType<typeof decodeBatch>> = [];
    let queued = 0;
    const fillDecodeQueue = (): void => {
      while (queued < batches.length && decoding.length < DECODE_AHEAD_BATCHES) decoding.push(decodeBatch(batches[queued++]));
    };
    fillDecodeQueue();
    for (let b = 0; b < batches.length; b++) {
      const decoded = await decoding.shift()!;
      throwIfAborted(signal);
      // Refill before the (blocking) forward pass of this batch, so decoding overlaps it.
      fillDecodeQueue();
      const statsRecords = decoded.flatMap((item) => (item.pixels ? [{ hash: item.hash, kind: STATS_KIND, shape: [STATS_FIELDS.length], data: statsOf(item.pixels) }] : []));
      statsComputed += statsRecords.length;
      const forward = decoded.flatMap((item) => (item.tensor ? [{ ...item, tensor: item.tensor }] : []));
      const records = [];
      const patternRecords = [];
      if (forward.length > 0) {
        const encoded = await encoder.encode(forward.map((item) => item.tensor), patternKind !== undefined);
        for (const [i, item] of forward.entries()) {
          if (!store.has(item.hash, EMBEDDING_KIND)) {
            records.push({ hash: item.hash, kind: EMBEDDING_KIND, shape: [encoded.embeddings[i].length], data: encoded.embeddings[i] });
            embeddedImages += item.images.length;
          }
          const maps = encoded.featureMaps;
          if (patternKind !== undefined && maps && !store.has(item.hash, patternKind)) {
            const patterns = semanticPatterns(maps.perImage[i], maps.positions, maps.channels, patternCount);
            patternRecords.push({ hash: item.hash, kind: patternKind, shape: [patterns.count, patterns.channels], data: patterns.data });
            patternsComputed++;
          }
        }
      }
      if (statsRecords.length + patternRecords.length + records.length > 0) await store.append([...statsRecords, ...patternRecords, ...records]);
      done += batches[b].length;
      decodeSeconds = (performance.now() - embedStarted) / 1000;
      report({ phase: 'embed', done, total: work.length, imagesPerSecond: done / Math.max(decodeSeconds, 1e-6) });
    }
    await store.flush();
    // A shard sees only part of the labels; the merged run checks the whole root.
    const check = shard ? undefined : await checkEncoder(store, EMBEDDING_KIND, images, hashes.byPath);
    const seconds = (performance.now() - started) / 1000;
    return {
      root: params.root,
      modelId: encoder.descriptor.id,
      modelName: encoder.descriptor.name,
      provider: encoder.provider,
      providerNote: encoder.providerNote,
      dim: encoder.dim ?? cachedDim ?? 0,
      images: images.length,
      embedded: embeddedImages,
      fromCache,
      failed: failed.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0)),
      seconds,
      imagesPerSecond: embeddedImages > 0 ? work.length / Math.max(decodeSeconds, 1e-6) : 0,
      cacheRepairs: describeStoreRepairs(store),
      patternsComputed,
      statsComputed,
      shard,
      mergedShardRecords: merged?.records ?? 0,
      ...(check ? { neighbourAgreement: check.agreement, neighbourAgreementImages: check.images } : {}),
    };
  } finally {
    await store.close();
  }
}

function statsOf(pixels: DecodedPixels): Float32Array {
  return statsToRecord({ width: pixels.sourceWidth, height: pixels.sourceHeight, ...pixelStats(pixels) });
}

function throttled(onProgress: ((progress: EmbedProgress) => void) | undefined): (progress: EmbedProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (progress) => {
    const now = performance.now();
    const final = progress.total > 0 && progress.done === progress.total;
    if (progress.phase !== lastPhase || final || now - last > 200) {
      last = now;
      lastPhase = progress.phase;
      onProgress?.(progress);
    }
  };
}

