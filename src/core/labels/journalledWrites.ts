// Label writes that go through the label journal (labelJournal.ts): every writer of labels, the
// editor's label service and `curator label`, applies its changes through these two functions, so
// that each run is recorded the same way and either of them can undo the other's runs.
import { rm } from 'node:fs/promises';
import { normaliseManifestPath } from '../dataset/manifestPath';
import type { CarriedOutMoves } from './carryOutMoves';
import type { FolderMove } from './folderMovePlan';
import { journalPathFor, newJournal, writeJournal, type LabelRunOrigin } from './labelJournal';
import type { ManifestLabelWriter } from './manifestLabelWriter';
import type { AppliedLabelChange, LabelApplyResult, LabelChange } from './types';

export interface JournalTarget {
  /** The dataset root's cache folder; the journal goes to `<cacheDir>/label-journal/`. */
  cacheDir: string;
  origin: LabelRunOrigin;
}

/** Carries out folder moves and reports each one, applied or refused, in `into` as it goes (also when it throws). */
export type MoveCarrier = (moves: readonly FolderMove[], into: CarriedOutMoves) => Promise<void>;

/**
 * Carries out a folder-move plan with `carry` (moves straight on disk, or the editor's
 * WorkspaceEdit), journalled: the planned moves are written down before the first one, and what
 * moved afterwards, also when `carry` throws (a cancelled run keeps the moves made so far, and
 * undo must reach them). Returns the journal's path, or undefined when nothing moved (the journal
 * is removed then).
 */
export async function carryOutMovesJournalled(target: JournalTarget, moves: readonly FolderMove[], into: CarriedOutMoves, carry: MoveCarrier): Promise<string | undefined> {
  if (moves.length === 0) return undefined;
  const createdAt = new Date();
  const journalPath = journalPathFor(target.cacheDir, createdAt);
  const planned = moves.map(({ fromPath: _from, toPath: _to, ...move }) => move);
  await writeJournal(journalPath, newJournal('folder', target.origin, createdAt, 'started', planned));
  const before = into.applied.length;
  try {
    await carry(moves, into);
  } finally {
    const applied = into.applied.slice(before);
    if (applied.length > 0) await writeJournal(journalPath, newJournal('folder', target.origin, createdAt, 'finished', applied));
    else await rm(journalPath, { force: true });
  }
  return into.applied.length > before ? journalPath : undefined;
}

/**
 * Writes label changes into the manifest through `writer`, journalled: the rows it may change are
 * written down first (with the labels the writer last read), and the rows it did change, with the
 * labels they had on disk, once the manifest has been replaced.
 */
export async function applyManifestJournalled(target: JournalTarget, writer: ManifestLabelWriter, changes: readonly LabelChange[]): Promise<LabelApplyResult & { journalPath?: string }> {
  // Every row the merge might write: the merge reads the file again, so a row unchanged by what the writer last read may still change.
  const planned = plannedManifestChanges(writer, changes);
  if (planned.length === 0) return writer.apply(changes);
  const createdAt = new Date();
  const journalPath = journalPathFor(target.cacheDir, createdAt);
  await writeJournal(journalPath, newJournal('manifest', target.origin, createdAt, 'started', planned));
  let result: LabelApplyResult;
  try {
    result = await writer.apply(changes);
  } catch (error) {
    // The writer throws before it replaces the manifest (locked, unreadable, disk full): nothing to undo.
    await rm(journalPath, { force: true });
    throw error;
  }
  if (result.applied.length === 0) {
    await rm(journalPath, { force: true });
    return result;
  }
  await writeJournal(journalPath, newJournal('manifest', target.origin, createdAt, 'finished', result.applied));
  return { ...result, journalPath };
}

function plannedManifestChanges(writer: ManifestLabelWriter, changes: readonly LabelChange[]): AppliedLabelChange[] {
  const planned: AppliedLabelChange[] = [];
  for (const change of changes) {
    const path = normaliseManifestPath(change.relPath);
    if (path.ok) planned.push({ oldRelPath: path.relPath, newRelPath: path.relPath, oldLabel: writer.currentLabel(path.relPath), newLabel: change.label });
  }
  return planned;
}
