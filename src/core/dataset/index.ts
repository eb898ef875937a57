// Public API of the dataset module: finding dataset roots in a workspace and scanning them.
export * from './types';
export { scanDataset } from './scan';
export { findDatasetRoots, CACHE_FOLDER_NAME, type FindRootsOptions } from './roots';
export { CancelledError, isAbortError } from '../util/abort';
export { IMAGE_EXTENSIONS, formatFromFileName, sniffImageFormat } from './imageFormat';
export { readDatasetManifest, MANIFEST_FILE_NAMES, type ManifestFile, type ManifestLookup } from './manifestFile';
export {
  parseCsvManifest,
  parseJsonlManifest,
  type CsvManifest,
  type JsonlManifest,
  type JsonlRecord,
  type ManifestIssue,
  type ManifestRow,
  type ParsedManifest,
} from './manifest';
export type { CsvRecord } from './csv';
export { normaliseManifestPath } from './manifestPath';
