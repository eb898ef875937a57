// Plans label changes for a folder dataset, where an image's class is the first folder under the
// root: labelling moves the file to `<root>/<label>/<name>`, unlabelling to `<root>/<unlabeled>/<name>`.
// Only a plan is made here; the extension host carries it out as one WorkspaceEdit so that Undo
// moves the files back. Nothing is ever overwritten: a name that is taken gets a numbered suffix.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { firstFreeName } from './freeFileName';
import { folderLabelProblem } from './labelValidation';
import type { AppliedLabelChange, LabelChange, RefusedLabelChange } from './types';
import { pathExists } from '../util/pathExists';

export interface FolderMove extends AppliedLabelChange {
  /** Absolute paths, checked to lie inside the root. */
  fromPath: string;
  toPath: string;
}

export interface FolderMovePlan {
  moves: FolderMove[];
  unchanged: LabelChange[];
  refused: RefusedLabelChange[];
}

/** The label a folder dataset gives `relPath` (normalised, forward slashes). */
export function folderLabelOf(relPath: string, unlabeledFolderName: string): string | null {
  const slash = relPath.indexOf('/');
  if (slash < 0) return null; // images directly in the root are unlabelled
  const top = relPath.slice(0, slash);
  return top === unlabeledFolderName ? null : top;
}

export async function planFolderMoves(root: string, changes: readonly LabelChange[], unlabeledFolderName: string): Promise<FolderMovePlan> {
  const plan: FolderMovePlan = { moves: [], unchanged: [], refused: [] };
  const seenSources = new Set<string>();
  // Targets chosen earlier in this plan, case-folded: on Windows and macOS `A.png` and `a.png` collide.
  const plannedTargets = new Set<string>();
  const refuse = (change: LabelChange, reason: string): void => void plan.refused.push({ change, reason });

  for (const change of changes) {
    const path = normaliseManifestPath(change.relPath);
    if (!path.ok) {
      refuse(change, `${change.relPath}: ${path.message}.`);
      continue;
    }
    const relPath = path.relPath;
    if (change.label !== null) {
      const problem = folderLabelProblem(change.label, unlabeledFolderName);
      if (problem) {
        refuse(change, `${relPath} was not labelled: ${problem}.`);
        continue;
      }
    }
    if (seenSources.has(relPath)) {
      refuse(change, `${relPath} appears more than once in the same change; only the first is applied.`);
      continue;
    }
    seenSources.add(relPath);

    const fromPath = await resolveInsideRoot(root, relPath);
    if (!fromPath) {
      refuse(change, (await pathExists(join(root, relPath))) ? `${relPath} leads outside the dataset root (through a symlink); it is not moved.` : `${relPath} does not exist.`);
      continue;
    }
    if (!(await isFile(fromPath))) {
      refuse(change, `${relPath} is not a file.`);
      continue;
    }
    const oldLabel = folderLabelOf(relPath, unlabeledFolderName);
    if (oldLabel === change.label) {
      plan.unchanged.push(change);
      continue;
    }

    const folderName = change.label ?? unlabeledFolderName;
    const folderProblem = await targetFolderProblem(root, folderName);
    if (folderProblem) {
      refuse(change, `${relPath} was not moved: ${folderProblem}.`);
      continue;
    }
    const baseName = relPath.slice(relPath.lastIndexOf('/') + 1);
    const name = await firstFreeName(baseName, async (candidate) => {
      const candidateRel = `${folderName}/${candidate}`;
      return plannedTargets.has(candidateRel.toLowerCase()) || (await pathExists(join(root, folderName, candidate)));
    });
    const newRelPath = `${folderName}/${name}`;
    plannedTargets.add(newRelPath.toLowerCase());
    plan.moves.push({ oldRelPath: relPath, newRelPath, oldLabel, newLabel: change.label, fromPath, toPath: join(root, folderName, name) });
  }
  return plan;
}

/** A class folder that exists must be a real folder inside the root (not a symlink out of it). */
async function targetFolderProblem(root: string, folderName: string): Promise<string | undefined> {
  const folderPath = join(root, folderName);
  if (!(await pathExists(folderPath))) return undefined; // created inside the root when the move runs
  if (!(await resolveInsideRoot(root, folderName))) return `the folder "${folderName}" leads outside the dataset root`;
  if (!(await stat(folderPath)).isDirectory()) return `"${folderName}" exists and is not a folder`;
  return undefined;
}


async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
