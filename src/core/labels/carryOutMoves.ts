// Carries out a folder-move plan straight on disk, one file at a time, never overwriting. Used
// where the editor's WorkspaceEdit is not (`curator label`) or would be too slow (large changes in
// the extension). A name taken after the plan was made is refused, not replaced.
import { throwIfAborted } from '../util/abort';
import type { FolderMove } from './folderMovePlan';
import { moveWithoutOverwrite, TargetExistsError } from './moveWithoutOverwrite';
import type { AppliedLabelChange, RefusedLabelChange } from './types';

export interface CarriedOutMoves {
  applied: AppliedLabelChange[];
  refused: RefusedLabelChange[];
}

/**
 * Moves each planned file, reporting every move that happened in `into` as it goes (so a caller
 * whose run is cancelled, which throws, still knows what moved). Stops between files when `signal`
 * fires.
 */
export async function carryOutMoves(
  moves: readonly FolderMove[],
  into: CarriedOutMoves,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<void> {
  for (const [index, move] of moves.entries()) {
    throwIfAborted(options.signal);
    const { fromPath, toPath, ...applied } = move;
    try {
      await moveWithoutOverwrite(fromPath, toPath);
      into.applied.push(applied);
    } catch (error) {
      const why = error instanceof TargetExistsError ? `${move.newRelPath} appeared after the move was planned` : (error as Error).message;
      into.refused.push({ change: { relPath: move.oldRelPath, label: move.newLabel }, reason: `${move.oldRelPath} was not moved: ${why}.` });
    }
    options.onProgress?.(index + 1, moves.length);
  }
}
