// Curator: Select Samples to Label: pick a method and a budget, rank the unlabelled images in the
// engine process (cancellable), write the ranking as JSON + Markdown into the root's cache folder
// and open the Markdown. Tests pass { method, budget, seed, root } to skip the prompts.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SelectProgress, SelectSamplesResult } from '../../core/jobs/selectSamples';
import { saveSelection } from '../../core/report/savedSelections';
import { METHOD_DESCRIPTIONS } from '../../core/select/selectors';
import { SELECTION_METHODS, type SelectionMethod } from '../../core/select/types';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, modelSource, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';

export interface SelectCommandArgs {
  method?: SelectionMethod;
  budget?: number;
  seed?: number;
  root?: string;
  farthestFirst?: boolean;
}

export interface SelectCommandResult {
  result: SelectSamplesResult;
  jsonPath: string;
  markdownPath: string;
}

const MAX_BUDGET = 100_000;

export async function selectSamplesCommand(context: CommandContext, args: SelectCommandArgs = {}): Promise<SelectCommandResult | undefined> {
  // The ranking is written into the cache folder, so this needs trust like Compute Embeddings.
  if (!requireTrust('Selecting samples')) return undefined;
  const root = args.root ?? (await pickDatasetRoot(context, 'Select samples from which dataset root?', (s) => `${s.counts.unlabelled} unlabelled images`));
  if (!root) return undefined;
  const choice = args.method ? { method: args.method, farthestFirst: args.farthestFirst ?? false } : await pickMethod();
  if (!choice) return undefined;
  if (!SELECTION_METHODS.includes(choice.method)) throw new Error(`Unknown selection method "${choice.method}" (one of ${SELECTION_METHODS.join(', ')}).`);
  const budget = args.budget ?? (await askBudget());
  if (budget === undefined) return undefined;
  if (parseBudget(String(budget)) === undefined) throw new Error(`The budget must be a whole number from 1 to ${MAX_BUDGET} (got ${budget}).`);
  const seed = args.seed ?? 0;

  const settings = context.settings();
  const cacheDir = resolveCacheDir(root, settings.cacheLocation);
  const label = METHOD_DESCRIPTIONS[choice.method].label;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Curator: Selecting ${budget} images with ${label}`, cancellable: true },
    (progress, token) =>
      context.engine.call(
        'selectSamples',
        {
          root,
          unlabeledFolderName: settings.unlabeledFolderName,
          cacheDir,
          model: modelSource(context),
          method: choice.method,
          budget,
          seed,
          farthestFirst: choice.farthestFirst,
          kernelsDir: context.extension.asAbsolutePath(join('dist', 'models', 'kernels')),
        },
        { signal: abortSignalFor(token), onProgress: (update) => progress.report({ message: describeProgress(update) }) },
      ),
  );
  for (const note of result.notes) context.log.warn(`${root}: ${note}`);

  const { jsonPath, markdownPath } = await saveSelection(cacheDir, result);
  context.state.resultsWritten(root);
  context.log.info(`Selected ${result.items.length} of ${result.candidates} unlabelled images in ${root} with ${label}; written to ${jsonPath}`);
  await vscode.window.showTextDocument(vscode.Uri.file(markdownPath), { preview: false });
  const leftOut = result.notes.length > 0 ? ' Some images were left out: see the file.' : '';
  // auto says which method it ran and why, here and at the top of the Markdown file.
  const ran = result.autoChoice ? ` Ran ${METHOD_DESCRIPTIONS[result.autoChoice.method].label}: ${result.autoChoice.reason}.` : '';
  if (result.autoChoice) context.log.info(`${root}: auto ran ${result.autoChoice.method}: ${result.autoChoice.reason}`);
  void vscode.window.showInformationMessage(`Curator: ${result.items.length} images to label next (${label}).${ran}${leftOut}`);
  return { result, jsonPath, markdownPath };
}


async function pickMethod(): Promise<{ method: SelectionMethod; farthestFirst: boolean } | undefined> {
  const items = SELECTION_METHODS.flatMap((method) => {
    const { label, description } = METHOD_DESCRIPTIONS[method];
    const item = { label, detail: description, method, farthestFirst: false };
    if (method !== 'freesel') return [item];
    return [item, { label: 'FreeSel (farthest-first)', detail: 'Always the image farthest from everything chosen: most spread out, more outliers. Label-free.', method, farthestFirst: true }];
  });
  const picked = await vscode.window.showQuickPick(items, { title: 'Select samples to label: method', matchOnDetail: true });
  return picked ? { method: picked.method, farthestFirst: picked.farthestFirst } : undefined;
}

async function askBudget(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Select samples to label: budget',
    prompt: 'How many images do you want to label next?',
    value: '50',
    validateInput: (value) => (parseBudget(value) === undefined ? `A whole number from 1 to ${MAX_BUDGET.toLocaleString('en')}` : undefined),
  });
  return text === undefined ? undefined : parseBudget(text);
}

function parseBudget(text: string): number | undefined {
  const value = Number(text.trim());
  return Number.isInteger(value) && value >= 1 && value <= MAX_BUDGET ? value : undefined;
}

function describeProgress(update: SelectProgress): string {
  switch (update.phase) {
    case 'scan':
      return 'scanning';
    case 'hash':
      return `checking ${update.done}/${update.total} changed files`;
    case 'read':
      return `reading ${update.total.toLocaleString('en')} cached embeddings`;
    case 'select':
      return 'ranking';
  }
}
