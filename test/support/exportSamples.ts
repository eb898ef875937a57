// Sample data shared by the export tests of the unit tier (our own reader) and of the system tier
// (numpy and Python's csv module reading the same files).
import { createHash } from 'node:crypto';
import { EmbeddingStore } from '../../src/core/cache/embeddingStore';
import type { ExportItem } from '../../src/core/export/exportEmbeddings';
import { NpyFloat32Writer } from '../../src/core/export/npy';

export const EXPORT_MODEL = 'export-test-model';
export const EXPORT_DIM = 5;

export function hashOf(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function vectorFor(name: string): Float32Array {
  const seed = parseInt(hashOf(name).slice(0, 6), 16);
  return Float32Array.from({ length: EXPORT_DIM }, (_, i) => ((seed >> i) % 1000) / 7 - 50);
}

/** Items to export: plain, unlabelled, never embedded, awkward CSV characters, a duplicate of another's content. */
export const exportItems: ExportItem[] = [
  { relPath: 'cats/plain.png', label: 'cats', hash: hashOf('plain') },
  { relPath: 'unlabeled/u1.png', label: null, hash: hashOf('u1') },
  { relPath: 'not embedded.png', label: 'cats', hash: hashOf('never stored') },
  { relPath: 'odd/comma, "quote".png', label: 'dogs, "big"', hash: hashOf('odd') },
  { relPath: 'odd/new\nline.png', label: 'dogs', hash: hashOf('newline') },
  { relPath: 'copies/plain again.png', label: 'cats', hash: hashOf('plain') },
];
export const exportedPaths = exportItems.filter((item) => item.relPath !== 'not embedded.png').map((item) => item.relPath);

/** Opens a store in cacheDir holding the vectors of every item but "not embedded.png". */
export async function storeWithExportVectors(cacheDir: string): Promise<EmbeddingStore> {
  const store = await EmbeddingStore.open(cacheDir, EXPORT_MODEL);
  await store.append(['plain', 'u1', 'odd', 'newline'].map((name) => ({ hash: hashOf(name), kind: 'embedding', shape: [EXPORT_DIM], data: vectorFor(name) })));
  return store;
}

/** 7 x 3 values with negatives, fractions, tiny and huge magnitudes and a signed zero. */
export function sampleMatrix(): Float32Array {
  const values = [0, -0, 1, -1.5, 3.25, 1e-30, -1e30, 0.1, Math.PI, -(2 ** 20), 65504.5, 7e-8, 42, -42, 1 / 3, 2.5, -0.75, 1e10, 9, 8, 7];
  return Float32Array.from(values);
}

/** Writes sampleMatrix() to path as a 7 x 3 NPY file, in uneven batches as during an export. */
export async function writeSampleNpy(path: string): Promise<Float32Array> {
  const matrix = sampleMatrix();
  const writer = await NpyFloat32Writer.create(path, 7, 3);
  await writer.writeRows(matrix.subarray(0, 6));
  await writer.writeRows(matrix.subarray(6, 9));
  await writer.writeRows(matrix.subarray(9));
  await writer.finish();
  return matrix;
}
