// Pulls catalogue models into the model store and finds them there again, offline.
//
// <storageDir>/models/<sha256>.onnx             the published file, verified; removed once prepared
// <storageDir>/models/<id>-<sha256 prefix>/     the prepared model: model.onnx (graph edit applied)
//                                               and model.json (its descriptor), written last
// Every file appears by an atomic rename, and model.json only after model.onnx, so a prepared folder
// with a model.json is complete: it is what "on disk" means, and it is used without the network.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogueEntry } from './catalogue';
import { exposeClassifierHead } from './classifierHeadEdit';
import type { ModelDescriptor } from './descriptor';
import { ensureVerifiedDownload, StoreWriteError } from './download';
import { exposeMobileNetV2Int8Outputs, mobileNetV2Int8Descriptor } from './referenceMobileNetV2';
import { assertFetchAllowed, parseUrl } from './urlPolicy';
import { parseDescriptor } from './validateDescriptor';
import { writeFileAtomic } from '../util/atomicWrite';
import { isFile } from '../util/pathExists';

/** Environment variable naming a mirror: catalogue files are fetched from `<mirror>/<file name>`. */
export const MODEL_MIRROR_ENV = 'CURATOR_MODEL_MIRROR';

export interface PullOptions {
  /** Folder of the model store (the models/ folder is created under it). */
  storageDir: string;
  /** Base URL of a mirror holding the catalogue's files by name; upstream when empty. */
  mirror?: string;
  signal?: AbortSignal;
  /** Download progress in bytes. */
  onProgress?: (received: number, total: number | undefined) => void;
}

export interface PulledModel {
  descriptor: ModelDescriptor;
  onnxPath: string;
  /** False when the prepared model was already on disk. */
  downloaded: boolean;
}

export interface CataloguePaths {
  published: string;
  preparedDir: string;
  onnx: string;
  descriptor: string;
}

export function cataloguePaths(entry: CatalogueEntry, storageDir: string): CataloguePaths {
  const models = join(storageDir, 'models');
  const preparedDir = join(models, `${entry.id}-${entry.sha256.slice(0, 16)}`);
  return {
    published: join(models, `${entry.sha256}.onnx`),
    preparedDir,
    onnx: join(preparedDir, 'model.onnx'),
    descriptor: join(preparedDir, 'model.json'),
  };
}

/** Where the entry's file is fetched from: the mirror when one is set, else the publisher's URL. */
export function catalogueDownloadUrl(entry: CatalogueEntry, mirror: string | undefined): URL {
  const base = mirror?.trim();
  if (!base) return new URL(entry.url);
  const folder = parseUrl(base.endsWith('/') ? base : `${base}/`, undefined, 'The model mirror');
  const url = new URL(encodeURIComponent(entry.fileName), folder);
  assertFetchAllowed(url, `model ${entry.id} from the mirror`);
  return url;
}

/** The prepared model when it is complete on disk; undefined otherwise. Never touches the network. */
export async function findPulledModel(entry: CatalogueEntry, storageDir: string): Promise<PulledModel | undefined> {
  const paths = cataloguePaths(entry, storageDir);
  let text: string;
  try {
    text = await readFile(paths.descriptor, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!(await isFile(paths.onnx))) return undefined;
  return { descriptor: parseDescriptor(text, paths.descriptor), onnxPath: paths.onnx, downloaded: false };
}

/** Makes the entry's prepared model present: reuses it, or downloads, verifies and edits the published file. */
export async function pullCatalogueModel(entry: CatalogueEntry, options: PullOptions): Promise<PulledModel> {
  const found = await findPulledModel(entry, options.storageDir);
  if (found) return found;
  const paths = cataloguePaths(entry, options.storageDir);
  await ensureVerifiedDownload(catalogueDownloadUrl(entry, options.mirror), {
    sha256: entry.sha256,
    size: entry.size,
    destination: paths.published,
    what: `model ${entry.id}`,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  options.signal?.throwIfAborted();
  let published: Buffer;
  try {
    published = await readFile(paths.published);
  } catch (error) {
    // Another pull of the same model (a second window, the CLI) prepared it and removed the file first.
    const other = (error as NodeJS.ErrnoException).code === 'ENOENT' ? await findPulledModel(entry, options.storageDir) : undefined;
    if (other) return { ...other, downloaded: true };
    throw error;
  }
  const prepared = applyGraphEdit(entry, published);
  const descriptor = preparedDescriptor(entry, createHash('sha256').update(prepared).digest('hex'));
  try {
    await mkdir(paths.preparedDir, { recursive: true });
    await writeFileAtomic(paths.onnx, prepared);
    await writeFileAtomic(paths.descriptor, `${JSON.stringify(descriptor, null, 2)}\n`);
  } catch (error) {
    // Without its descriptor the folder is not a model; leave no half of one behind (unless a
    // concurrent pull completed it meanwhile).
    if (!(await findPulledModel(entry, options.storageDir).catch(() => undefined))) await rm(paths.preparedDir, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw code ? new StoreWriteError(paths.preparedDir, `model ${entry.id}`, error as NodeJS.ErrnoException) : error;
  }
  // The prepared copy is what is used; keeping the published one as well would double the disk used.
  await rm(paths.published, { force: true });
  return { descriptor, onnxPath: paths.onnx, downloaded: true };
}

function applyGraphEdit(entry: CatalogueEntry, published: Uint8Array): Uint8Array {
  switch (entry.edit.kind) {
    case 'mobilenetv2-int8':
      return exposeMobileNetV2Int8Outputs(published);
    case 'classifier-head':
      return exposeClassifierHead(published, entry.edit);
  }
}

function preparedDescriptor(entry: CatalogueEntry, preparedSha256: string): ModelDescriptor {
  const base: ModelDescriptor =
    entry.edit.kind === 'mobilenetv2-int8'
      ? mobileNetV2Int8Descriptor('model.onnx')
      : {
          id: entry.id,
          name: entry.name,
          file: 'model.onnx',
          input: { ...entry.input },
          outputs: { embedding: 'embedding', featureMap: 'featureMap', featureMapLayout: 'NCHW' },
        };
  return { ...base, id: entry.id, sha256: preparedSha256, description: entry.description, license: entry.license };
}
