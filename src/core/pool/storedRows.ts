// Reads what the embedding store holds for a list of images as the matrices the methods take:
// one vector per image (rows), or a variable number of pattern vectors per image (pattern sets).
import type { PatternSets, VectorRows } from '../math/vectorRows';
import type { EmbeddingStore } from '../cache/embeddingStore';

/** The `kind` vectors of `hashes`, one row each in that order; every one must be stored. */
export async function readStoredRows(store: EmbeddingStore, hashes: readonly string[], kind: string): Promise<VectorRows> {
  if (hashes.length === 0) return { data: new Float32Array(0), rows: 0, width: 0 };
  const data = await store.readMatrix(hashes, kind);
  return { data, rows: hashes.length, width: data.length / hashes.length };
}

/** The `kind` pattern sets ([patterns, width] per image) of `hashes`, concatenated with offsets. */
export async function readStoredPatternSets(store: EmbeddingStore, hashes: readonly string[], kind: string): Promise<PatternSets> {
  const tensors = [];
  for (const hash of hashes) {
    const tensor = await store.get(hash, kind);
    if (!tensor) throw new Error(`No "${kind}" record is stored for ${hash}`);
    tensors.push(tensor);
  }
  const width = tensors[0]?.shape[1] ?? 0;
  const offsets = new Int32Array(hashes.length + 1);
  tensors.forEach((t, i) => (offsets[i + 1] = offsets[i] + t.shape[0]));
  const data = new Float32Array(offsets[hashes.length] * width);
  tensors.forEach((t, i) => data.set(t.data, offsets[i] * width));
  return { vectors: { data, rows: offsets[hashes.length], width }, offsets };
}
