// The two steps of an embedding run that touch every file of a dataset: the scan, and the content
// hashes (read again only for files whose size or mtime changed since the last run).

import { scanDataset } from '../../src/core/dataset/scan';
import { hashImages } from '../../src/core/pool/contentHashes';

export async function scanAndHash(root: string, cacheDir: string): Promise<{ images: number; hashed: number }> {
  const scan = await scanDataset(root);
  let hashed = 0;
  const outcome = await hashImages(scan.images, cacheDir, { onProgress: (done) => (hashed = done) });
  if (outcome.failures.length > 0) throw new Error(`${outcome.failures.length} files could not be hashed, first: ${outcome.failures[0].message}`);
  return { images: scan.images.length, hashed };
}
