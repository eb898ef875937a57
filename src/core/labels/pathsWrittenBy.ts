// Which paths of a root a label write touched, so that a watcher of the root can tell the write's
// own file events from changes made by someone else.
import { dirname, join } from 'node:path';
import { MANIFEST_FILE_NAMES } from '../dataset/manifestFile';
import type { LabelApplyResult } from './types';

/** Every path a label write touched: both ends of each move and their folders, or the manifest. */
export function pathsWrittenBy(root: string, result: LabelApplyResult): string[] {
  if (result.mode === 'manifest') return Object.values(MANIFEST_FILE_NAMES).map((name) => join(root, name));
  return result.applied.flatMap((change) => [change.oldRelPath, change.newRelPath, dirname(change.oldRelPath), dirname(change.newRelPath)].map((path) => join(root, path)));
}
