// Runs the encoder check (core/embed/neighbourAgreement) on a root's cached embeddings right
// after they are computed, so `curator embed` and Compute Embeddings can report it.
import type { EmbeddingStore } from '../cache/embeddingStore';
import type { ImageEntry } from '../dataset/types';
import { AGREEMENT_MAX_IMAGES, AGREEMENT_MIN_LABELLED, evenlySpread, neighbourAgreement, type NeighbourAgreement } from '../embed/neighbourAgreement';
import { columnMean } from '../math/vectorRows';
import { readStoredRows } from '../pool/storedRows';

/** `kind`: the store's record kind of the pooled embeddings. */
export async function checkEncoder(
  store: EmbeddingStore, kind: string, images: readonly ImageEntry[], hashOf: ReadonlyMap<string, string>,
): Promise<NeighbourAgreement | undefined> {
  const embedded = [...images]
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
    .flatMap((image) => {
      const hash = hashOf.get(image.relPath);
      return hash !== undefined && store.has(hash, kind) ? [{ hash, label: image.label }] : [];
    });
  const labelled = embedded.filter((item): item is { hash: string; label: string } => item.label !== null);
  if (labelled.length < AGREEMENT_MIN_LABELLED) return undefined;
  const sample = evenlySpread(labelled.length, AGREEMENT_MAX_IMAGES).map((i) => labelled[i]);
  const classNames = [...new Set(sample.map((item) => item.label))].sort();
  const labels = Int32Array.from(sample, (item) => classNames.indexOf(item.label));
  const labelledRows = await readStoredRows(store, sample.map((item) => item.hash), kind);
  // Centred on the whole dataset (labelled and unlabelled), as selection and suggestions centre it.
  const everyone = await readStoredRows(store, evenlySpread(embedded.length, AGREEMENT_MAX_IMAGES).map((i) => embedded[i].hash), kind);
  return neighbourAgreement(labelledRows, labels, columnMean([everyone], everyone.width));
}
