// What `curator models` and Curator: Choose Embedding Model show: the bundled models and the
// catalogue, each with its facts and whether it is on disk. Reads the disk only, never the network.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BUNDLED_MODELS, bundledModelFolder, type BundledModel } from './bundledModels';
import { MODEL_CATALOGUE, type CatalogueEntry } from './catalogue';
import { cataloguePaths, findPulledModel } from './catalogueStore';
import type { ModelDescriptor } from './descriptor';
import { parseDescriptor } from './validateDescriptor';

export interface ModelListing {
  /** The value of `--model` / `curator.model` that selects it. */
  id: string;
  kind: 'bundled' | 'catalogue';
  name: string;
  description: string;
  license: string;
  /** Where it is downloaded from (catalogue entries). */
  url?: string;
  /** The publisher's page (catalogue entries). */
  sourceUrl?: string;
  /** The publisher's SHA-256 of the downloaded file, or the bundled file's. */
  sha256?: string;
  /** Bytes to download (catalogue) or on disk (bundled). */
  size: number;
  input: { name: string; layout: string; size: [number, number]; mean: number[]; std: number[] };
  outputs: string[];
  /** Measured quality (cosine 20-NN accuracy on the CIFAR-10 dev set), null until measured. */
  quality: { knn20: number; knn1?: number; measuredWith: string } | null;
  onDisk: boolean;
  /** Where it lives when on disk. */
  path?: string;
  /** Catalogue entries: whether this project's tests downloaded and ran this exact file. */
  exercised?: boolean;
}

export async function listModels(options: { bundledDir: string; storageDir: string }): Promise<ModelListing[]> {
  const listings: ModelListing[] = [];
  for (const bundled of BUNDLED_MODELS) {
    const listing = await bundledListing(bundled, join(bundledModelFolder(bundled, options.bundledDir), 'model.json'));
    if (listing) listings.push(listing);
  }
  for (const entry of MODEL_CATALOGUE) listings.push(await catalogueListing(entry, options.storageDir));
  return listings;
}

async function bundledListing(bundled: BundledModel, descriptorPath: string): Promise<ModelListing | undefined> {
  const { setting: id, summary } = bundled;
  let descriptor: ModelDescriptor;
  try {
    descriptor = parseDescriptor(await readFile(descriptorPath, 'utf8'), descriptorPath);
  } catch {
    return undefined; // A build without this bundled model; nothing to list.
  }
  const onnxPath = resolve(dirname(descriptorPath), descriptor.file);
  const size = await stat(onnxPath).then((s) => s.size, () => 0);
  return {
    id,
    kind: 'bundled',
    name: descriptor.name,
    description: descriptor.description ?? summary,
    license: descriptor.license ?? 'see THIRD_PARTY_NOTICES.md',
    sha256: descriptor.sha256,
    size,
    input: descriptor.input,
    outputs: [descriptor.outputs.embedding, descriptor.outputs.featureMap].filter((name): name is string => Boolean(name)),
    quality: bundled.quality ?? null,
    onDisk: size > 0,
    path: onnxPath,
  };
}

async function catalogueListing(entry: CatalogueEntry, storageDir: string): Promise<ModelListing> {
  const pulled = await findPulledModel(entry, storageDir).catch(() => undefined);
  return {
    id: entry.id,
    kind: 'catalogue',
    name: entry.name,
    description: entry.description,
    license: entry.license,
    url: entry.url,
    sourceUrl: entry.sourceUrl,
    sha256: entry.sha256,
    size: entry.size,
    input: entry.input,
    outputs: [entry.outputs.embedding, entry.outputs.featureMap].filter((name): name is string => Boolean(name)),
    quality: entry.quality ?? null,
    onDisk: pulled !== undefined,
    path: pulled ? cataloguePaths(entry, storageDir).onnx : undefined,
    exercised: entry.exercised,
  };
}

/** "3.7 MB", "102.1 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
