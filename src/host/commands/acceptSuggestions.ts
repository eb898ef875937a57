// Curator: Accept Sure Suggestions: labels, in one change, every unlabelled image whose newest saved
// first suggestion (from Suggest Labels) is at least as probable as the threshold the user picks.
// The probabilities are calibrated (about that share of such suggestions is right), and images
// marked "new class?" are never taken. The pick lists each threshold with how many images it would
// label, and the confirmation says how many per class, so the trade-off is visible before anything moves. Labels go through the LabelService like the review panel's, as one change
// that Ctrl+Z in the panel puts back. Tests pass { root, minProbability, confirm: false }.
import * as vscode from 'vscode';
import type { LabelApplyResult } from '../../core/labels';
import { suggestionsToAccept, type SuggestionsToAccept } from '../../core/review/suggestionsToAccept';
import { countByClass, DEFAULT_ACCEPT_PROBABILITY, describeByClass, UncalibratedSuggestionsError } from '../../core/suggest/acceptSuggestions';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';

export interface AcceptSuggestionsArgs {
  root?: string;
  minProbability?: number;
  /** False skips the confirmation dialog (tests). */
  confirm?: boolean;
}

export interface AcceptSuggestionsCommandResult extends LabelApplyResult {
  method: string;
  minProbability: number;
}

export async function acceptSuggestionsCommand(context: CommandContext, args: AcceptSuggestionsArgs = {}): Promise<AcceptSuggestionsCommandResult | undefined> {
  if (!requireTrust('Accepting suggestions')) return undefined;
  const root = args.root ?? (await pickDatasetRoot(context, 'Accept the suggestions of which dataset root?', (s) => `${s.counts.unlabelled} unlabelled images`));
  if (!root) return undefined;
  const settings = context.settings();
  let toAccept: SuggestionsToAccept | undefined;
  try {
    toAccept = await suggestionsToAccept({ root, cacheDir: resolveCacheDir(root, settings.cacheLocation), unlabeledFolderName: settings.unlabeledFolderName });
  } catch (error) {
    if (!(error instanceof UncalibratedSuggestionsError)) throw error;
    void vscode.window.showWarningMessage(`Curator: ${error.message}`);
    return undefined;
  }
  if (!toAccept) {
    void vscode.window.showWarningMessage(`Curator: ${vscode.workspace.asRelativePath(root)} has no suggestions yet; run Suggest Labels first.`);
    return undefined;
  }
  const { unknownClass } = toAccept;
  const minProbability = args.minProbability ?? (await pickThreshold(toAccept));
  if (minProbability === undefined) return undefined;
  // Throws for a threshold outside (0, 1] (one given in the arguments).
  const { changes } = toAccept.at(minProbability);
  if (changes.length === 0) {
    const why = unknownClass > 0 ? ` (${unknownClass} marked "new class?" are never accepted in bulk)` : '';
    const hint = toAccept.fewSureHint;
    void vscode.window.showInformationMessage(`Curator: no unlabelled image has a first suggestion of p ≥ ${minProbability}${why}; nothing was labelled.${hint ? ` ${hint}` : ''}`);
    return undefined;
  }
  if (args.confirm !== false) {
    const action = `Label ${changes.length} images`;
    const unknownNote = unknownClass > 0 ? ` ${unknownClass} images marked "new class?" stay unlabelled.` : '';
    const answer = await vscode.window.showWarningMessage(
      `Label ${changes.length} unlabelled images with their first suggestion (${toAccept.method}, p ≥ ${minProbability})?`,
      {
        modal: true,
        detail:
          `Per class: ${describeByClass(countByClass(changes))}.${unknownNote} ` +
          'Folder datasets: the files move into their class folders. Manifest datasets: the label column is rewritten. One change: Ctrl+Z in the review panel, or curator label --undo, puts the old labels back.',
      },
      action,
    );
    if (answer !== action) return undefined;
  }

  const applied = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Curator: Labelling ${changes.length} images from their suggestions` },
    () => context.labels.applyLabels(root, changes),
  );
  const refused = applied.refused;
  for (const refusal of toAccept.leftOut) context.log.info(`Suggestion left out: ${refusal.reason}`);
  const skipped = refused.length > 0 ? ` ${refused.length} not applied (see the log).` : '';
  void vscode.window.showInformationMessage(`Curator: labelled ${applied.applied.length} images with their first suggestion (p ≥ ${minProbability}).${skipped}`);
  return { ...applied, refused, method: toAccept.method, minProbability };
}

/** A quick pick of thresholds, each with how many of the unlabelled images it would label. */
async function pickThreshold(toAccept: SuggestionsToAccept): Promise<number | undefined> {
  const { method, candidates, unknownClass } = toAccept;
  const items = toAccept.atEach().map(({ changes, byClass, minProbability: threshold }) => {
    const count = changes.length;
    return {
      label: `p ≥ ${threshold}`,
      description: `${count} images`,
      detail: `${describeByClass(byClass, 4) || 'none'}; ${candidates - count} stay unlabelled${threshold === DEFAULT_ACCEPT_PROBABILITY ? ' (the default)' : ''}`,
      threshold,
    };
  });
  const quickPick = vscode.window.createQuickPick<(typeof items)[number]>();
  quickPick.title = `Accept ${method} suggestions at least this probable (calibrated)${unknownClass > 0 ? `; ${unknownClass} "new class?" images are never taken` : ''}`;
  quickPick.items = items;
  quickPick.activeItems = items.filter((item) => item.threshold === DEFAULT_ACCEPT_PROBABILITY);
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.threshold ?? quickPick.activeItems[0]?.threshold);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
