// Curator: Import Labels…: labels from a Label Studio JSON export or a CVAT for images 1.1 XML
// export (told apart by content), matched to a root's images by path or unique file name. First a
// dry run: a modal says how many labels would be written and how many tasks were not usable (not
// found, conflicting, new classes...), every one of them listed in the log; the labels are written
// on confirm, through the LabelService like the review panel's, as one change that Ctrl+Z in the
// panel or `curator label --undo` puts back. Classes the root does not have are only written when
// the confirmation's "including new classes" button is chosen. Reading the export and planning run
// in the engine process (a big export parses for seconds, a big root scans for longer) under a
// cancellable notification; the dialog and the writing stay here. A malformed export is refused
// before anything is planned. Tests pass { root, file, confirm: false, allowNewClasses }.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { EngineCallError } from '../../core/engine/engineClient';
import { detectLabelStorage, type LabelApplyResult } from '../../core/labels';
import { describeImportPlan, type ImportPlan, type PlanAnnotationImportProgress } from '../../core/interop/importAnnotations';
import { abortSignalFor, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';

export interface ImportLabelsArgs {
  root?: string;
  /** The export file; asked for when absent. */
  file?: string;
  /** False skips the confirmation (tests): the labels are written, new classes only with allowNewClasses. */
  confirm?: boolean;
  allowNewClasses?: boolean;
}

export interface ImportLabelsCommandResult extends LabelApplyResult {
  plan: ImportPlan;
}

export async function importLabelsCommand(context: CommandContext, args: ImportLabelsArgs = {}): Promise<ImportLabelsCommandResult | undefined> {
  if (!requireTrust('Importing labels')) return undefined;
  const root = args.root ?? (await pickDatasetRoot(context, 'Import labels into which dataset root?', (s) => `${s.counts.unlabelled} unlabelled images`));
  if (!root) return undefined;
  const file = args.file ?? (await pickExportFile(root));
  if (!file) return undefined;
  const settings = context.settings();

  // Planned with new classes allowed, so the dry run can say what they are; left out below unless chosen.
  let plan: ImportPlan;
  try {
    plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Curator: Reading the export', cancellable: true },
      (progress, token) =>
        context.engine.call(
          'planAnnotationImport',
          { root, file, unlabeledFolderName: settings.unlabeledFolderName, allowNewClasses: true },
          { signal: abortSignalFor(token), onProgress: (update) => progress.report({ message: describePlanning(update) }) },
        ),
    );
  } catch (error) {
    if (!(error instanceof EngineCallError) || !(error.unusableInput || error.cancelled)) throw error;
    if (error.cancelled) {
      context.log.info('Import Labels: cancelled while reading the export; nothing was written.');
      void vscode.window.showInformationMessage('Curator: Import Labels cancelled; nothing was written.');
    } else {
      // A malformed export: the engine's message names the file and what is wrong with it.
      context.log.warn(error.message);
      void vscode.window.showErrorMessage(`Curator: ${error.message}`);
    }
    return undefined;
  }
  const newClassNames = new Set(plan.newClasses.map((entry) => entry.name));
  const known = plan.changes.filter((change) => change.label === null || !newClassNames.has(change.label));
  context.log.info(`Import Labels from ${file}: ${describeImportPlan(plan)}`);
  for (const problem of plan.problems) context.log.info(`Import Labels: ${problem.message}`);

  let allowNew = args.allowNewClasses === true;
  if (args.confirm !== false) {
    const answer = await confirm(plan, known.length);
    if (!answer) return undefined;
    allowNew = answer === 'with-new';
  }
  const changes = allowNew ? plan.changes : known;
  const finalPlan: ImportPlan = allowNew ? plan : withNewClassesRefused(plan, known);
  if (changes.length === 0) {
    void vscode.window.showInformationMessage(`Curator: nothing to import from ${file}; ${describeImportPlan(finalPlan)} (see the log).`);
    return { mode: (await detectLabelStorage(root)).mode, applied: [], unchanged: [], refused: [], plan: finalPlan };
  }
  const applied = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Curator: Writing ${changes.length} imported labels` }, () =>
    context.labels.applyLabels(root, changes),
  );
  for (const refusal of applied.refused) context.log.warn(`Import Labels: ${refusal.reason}`);
  const notRead = finalPlan.problems.filter((problem) => problem.kind !== 'duplicate').length;
  const refused = applied.refused.length > 0 ? `, ${applied.refused.length} refused` : '';
  void vscode.window.showInformationMessage(
    `Curator: imported ${applied.applied.length} labels (${applied.unchanged.length} unchanged${refused}); ${notRead} tasks not used (see the log). Ctrl+Z in the review panel or curator label --undo puts them back.`,
  );
  return { ...applied, plan: finalPlan };
}

function describePlanning(update: PlanAnnotationImportProgress): string {
  return update.phase === 'read' ? 'reading and checking the file' : `matching to the root's images (${update.filesSeen} files seen)`;
}

/** What the user chose: write the known classes, or those and the new ones; undefined when dismissed. */
async function confirm(plan: ImportPlan, knownCount: number): Promise<'known' | 'with-new' | undefined> {
  const notRead = plan.problems.filter((problem) => problem.kind !== 'duplicate');
  const counts = new Map<string, number>();
  for (const problem of notRead) counts.set(problem.kind, (counts.get(problem.kind) ?? 0) + 1);
  const details = [...counts].map(([kind, count]) => `${count} ${kind.replace(/-/g, ' ')}`).join(', ');
  const newClasses = plan.newClasses.map((entry) => `${entry.name} (${entry.count})`).join(', ');
  const writeKnown = `Write ${knownCount} labels`;
  const writeAll = `Write ${plan.changes.length} labels, adding new classes`;
  const buttons = [...(knownCount > 0 ? [writeKnown] : []), ...(plan.newClasses.length > 0 ? [writeAll] : [])];
  const tool = plan.tool === 'cvat' ? 'CVAT' : 'Label Studio';
  const detail =
    `${plan.entries} ${plan.tool === 'cvat' ? 'images' : 'tasks'} in the export. ${knownCount} labels to write` +
    (newClasses ? `; classes the root does not have: ${newClasses}` : '') +
    `. Not used: ${details || 'none'} (each listed in the log). ` +
    'Folder datasets: the files move into their class folders. Manifest datasets: the label column is rewritten. One change: Ctrl+Z in the review panel, or curator label --undo, puts the old labels back.';
  if (buttons.length === 0) {
    void vscode.window.showWarningMessage(`Curator: no labels to import from this ${tool} export.`, { modal: true, detail });
    return undefined;
  }
  const answer = await vscode.window.showWarningMessage(`Import labels from a ${tool} export?`, { modal: true, detail }, ...buttons);
  return answer === writeKnown ? 'known' : answer === writeAll ? 'with-new' : undefined;
}

/** The plan as it is written when new classes are not allowed: those images become refusals. */
function withNewClassesRefused(plan: ImportPlan, known: ImportPlan['changes']): ImportPlan {
  const keptPaths = new Set(known.map((change) => change.relPath));
  const refused = plan.changes
    .filter((change) => !keptPaths.has(change.relPath))
    .map((change) => ({ kind: 'unknown-class' as const, where: change.relPath, message: `${change.relPath}: "${change.label}" is not a class of this root; not labelled.` }));
  return { ...plan, changes: known, newClasses: [], problems: [...plan.problems, ...refused] };
}

async function pickExportFile(root: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(dirname(root)),
    openLabel: 'Read Labels',
    filters: { 'Label Studio JSON or CVAT XML export': ['json', 'xml'] },
    title: 'A Label Studio JSON export or a CVAT for images 1.1 XML export',
  });
  return picked?.[0]?.fsPath;
}
