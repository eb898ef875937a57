// Public API of the labels module: validating labels and writing them into a dataset root, by
// moving files between class folders (planned here, executed by the caller) or by rewriting the
// labels manifest.
export * from './types';
export { folderLabelProblem, manifestLabelProblem, MAX_LABEL_BYTES } from './labelValidation';
export { detectLabelStorage, type LabelStorage } from './labelMode';
export { planFolderMoves, folderLabelOf, type FolderMove, type FolderMovePlan } from './folderMovePlan';
export { numberedName } from './freeFileName';
export { ManifestLabelWriter, ManifestLockTimeoutError, type ManifestLabelWriterOptions, type ManifestLockOptions } from './manifestLabelWriter';
