// Sharded embedding for datasets too large for one machine: `curator embed --shard i/n` on n
// machines (a Slurm array, a Kubernetes indexed Job, Ray tasks) each embeds a deterministic share
// of the images into a shard cache of its own, so no two machines ever append to one file, even on
// a shared file system. Merging copies every shard's records into the root's cache and removes it.

import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingStore } from '../cache/embeddingStore';
import { FileStateIndex } from '../cache/fileStateIndex';
import type { ShardSpec } from '../embed/types';
import { FILE_STATE_NAME } from '../pool/contentHashes';

const SHARDS_FOLDER = 'shards';

/** Parses `i/n` (0 <= i < n); throws a message fit for a usage error otherwise. */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw new Error(`A shard is "i/n" with 0 <= i < n (got "${text}"), e.g. --shard 0/4 for the first of four.`);
  return { index, count };
}

/**
 * Whether an image belongs to a shard. Decided by the path, not the content, so a shard never has to
 * read the files of other shards to know which are its own; every machine computes the same split.
 */
export function inShard(relPath: string, shard: ShardSpec): boolean {
  return createHash('sha256').update(relPath).digest().readUInt32BE(0) % shard.count === shard.index;
}

export function shardCacheDir(cacheDir: string, shard: ShardSpec): string {
  return join(cacheDir, SHARDS_FOLDER, `${shard.index}-of-${shard.count}`);
}

export interface MergeResult {
  /** Shard folders merged (and removed). */
  shards: string[];
  /** Records copied into the root's cache (those it did not hold yet). */
  records: number;
}

/** Copies every shard cache under `cacheDir` into it for `modelId`, then removes the shard folders. */
export async function mergeShards(cacheDir: string, modelId: string): Promise<MergeResult> {
  const shardDirs = await listShardDirs(cacheDir);
  if (shardDirs.length === 0) return { shards: [], records: 0 };
  const store = await EmbeddingStore.open(cacheDir, modelId);
  const files = await FileStateIndex.load(join(cacheDir, FILE_STATE_NAME));
  let records = 0;
  try {
    for (const shardDir of shardDirs) {
      const shard = await EmbeddingStore.open(shardDir, modelId);
      try {
        for (const { hash, kind } of shard.keys()) {
          if (store.has(hash, kind)) continue;
          const tensor = await shard.get(hash, kind);
          if (!tensor) continue;
          await store.append([{ hash, kind, shape: tensor.shape, data: tensor.data }]);
          records++;
        }
      } finally {
        await shard.close();
      }
      // Hashes the shard computed spare the next run from reading those files again.
      const shardFiles = await FileStateIndex.load(join(shardDir, FILE_STATE_NAME));
      for (const [relPath, state] of shardFiles.files()) if (!files.get(relPath)) files.update(relPath, state);
    }
    await store.flush();
    await files.save();
  } finally {
    await store.close();
  }
  // Only after everything is durable in the root's cache.
  for (const shardDir of shardDirs) await rm(shardDir, { recursive: true, force: true });
  return { shards: shardDirs, records };
}

async function listShardDirs(cacheDir: string): Promise<string[]> {
  try {
    const entries = await readdir(join(cacheDir, SHARDS_FOLDER), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && /^\d+-of-\d+$/.test(e.name)).map((e) => join(cacheDir, SHARDS_FOLDER, e.name)).sort();
  } catch {
    return [];
  }
}
