// Turns the `curator.model` setting into a validated descriptor and a local ONNX file:
//   "default"                  the bundled model: <bundledDir>/model.json
//   an absolute path to .json  a descriptor on disk; its `file` is relative to the descriptor's folder
//   an https:// URL            a descriptor online; its `file` is resolved against that URL, its
//                              `sha256` is required, and the file is downloaded once into storageDir
//   a catalogue id             a published model from catalogue.ts, pulled once into storageDir
//                              (from the mirror when one is set) and used offline from then on
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { bundledModelFolder, findBundledModel } from './bundledModels';
import { findCatalogueEntry, looksLikeModelId, MODEL_CATALOGUE } from './catalogue';
import { MODEL_MIRROR_ENV, pullCatalogueModel } from './catalogueStore';
import type { ModelDescriptor } from './descriptor';
import { ensureVerifiedDownload } from './download';
import { fetchText } from './httpGet';
import { assertFetchAllowed, parseUrl } from './urlPolicy';
import { parseDescriptor } from './validateDescriptor';
import { isFile } from '../util/pathExists';

export type ModelSourceKind = 'bundled' | 'file' | 'download' | 'catalogue';

export interface ResolveModelOptions {
  /** Folder of the bundled default model (holds model.json). */
  bundledDir: string;
  /** Folder where downloaded models are kept (under models/). */
  storageDir: string;
  signal?: AbortSignal;
  /** Download progress in bytes; total is undefined when the server does not say. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** A SHA-256 the user pinned for a URL model; the descriptor must declare the same one. */
  expectedSha256?: string;
  /**
   * Base URL of a mirror of the catalogue's files (`<mirror>/<file name>`, same checksums). Unset:
   * the CURATOR_MODEL_MIRROR environment variable, else the publishers' URLs.
   */
  mirror?: string;
}

export interface ResolvedModel {
  descriptor: ModelDescriptor;
  /** Absolute path of the ONNX file, present and (for downloads) verified. */
  onnxPath: string;
  source: ModelSourceKind;
}

/** Descriptors are small; anything bigger is not one. */
const MAX_DESCRIPTOR_BYTES = 1 << 20;

export async function resolveModel(setting: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const value = setting.trim();
  const bundled = findBundledModel(value);
  if (bundled) return resolveFromFile(join(bundledModelFolder(bundled, options.bundledDir), 'model.json'), 'bundled');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return resolveFromUrl(parseUrl(value, undefined, 'The model setting'), options);
  if (isAbsolute(value)) {
    if (!value.toLowerCase().endsWith('.json')) {
      throw new Error(`The model setting must point at a descriptor .json file (beside its .onnx file), got ${value}`);
    }
    return resolveFromFile(value, 'file');
  }
  const entry = findCatalogueEntry(value);
  if (entry) {
    const mirror = options.mirror?.trim() || process.env[MODEL_MIRROR_ENV]?.trim() || undefined;
    const pulled = await pullCatalogueModel(entry, { storageDir: options.storageDir, mirror, signal: options.signal, onProgress: options.onProgress });
    return { descriptor: pulled.descriptor, onnxPath: pulled.onnxPath, source: 'catalogue' };
  }
  const known = MODEL_CATALOGUE.map((e) => e.id).join(', ');
  if (looksLikeModelId(value)) throw new Error(`Unknown model id ${JSON.stringify(value)}; the catalogue holds ${known} (see \`curator models\`)`);
  throw new Error(
    `The model setting must be "default", an absolute path to a model descriptor .json, an https:// URL of one, or a catalogue model id (${known}); got ${JSON.stringify(setting)}`,
  );
}

async function resolveFromFile(descriptorPath: string, source: 'bundled' | 'file'): Promise<ResolvedModel> {
  let text: string;
  try {
    text = await readFile(descriptorPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const hint = source === 'bundled' ? ' (the bundled model is missing from this installation)' : '';
    throw new Error(`Model descriptor ${descriptorPath} does not exist${hint}`);
  }
  const descriptor = parseDescriptor(text, descriptorPath);
  const onnxPath = isAbsolute(descriptor.file) ? descriptor.file : resolve(dirname(descriptorPath), descriptor.file);
  if (!(await isFile(onnxPath))) {
    throw new Error(`ONNX file ${onnxPath} named by model descriptor ${descriptorPath} (field "file") does not exist`);
  }
  return { descriptor, onnxPath, source };
}

async function resolveFromUrl(descriptorUrl: URL, options: ResolveModelOptions): Promise<ResolvedModel> {
  assertFetchAllowed(descriptorUrl, 'a model descriptor');
  const text = await fetchText(descriptorUrl, 'the model descriptor', MAX_DESCRIPTOR_BYTES, options.signal);
  const descriptor = parseDescriptor(text, descriptorUrl.href, { requireSha256: true });
  const sha256 = descriptor.sha256 as string;
  const pinned = options.expectedSha256?.trim().toLowerCase();
  if (pinned && pinned !== sha256) {
    throw new Error(`Model descriptor ${descriptorUrl.href} declares SHA-256 ${sha256}, but ${pinned} is expected for it; not downloading`);
  }
  const onnxUrl = parseUrl(descriptor.file, descriptorUrl, `Field "file" of model descriptor ${descriptorUrl.href}`);
  assertFetchAllowed(onnxUrl, `model ${descriptor.id}`);
  // Named by content, so a verified copy is found again whatever URL it came from.
  const onnxPath = resolve(options.storageDir, 'models', `${sha256}.onnx`);
  await ensureVerifiedDownload(onnxUrl, {
    sha256,
    destination: onnxPath,
    what: `model ${descriptor.id}`,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { descriptor, onnxPath, source: 'download' };
}
