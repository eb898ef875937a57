// Curator: Suggest Labels: pick a root and a method, compute soft-label suggestions for every image
// in the engine process (cancellable), and open a Markdown report beside the JSON the engine wrote
// (<cache>/suggestions/<method>.json). Tests pass { root, method, seed, issueConfidence } to skip
// the prompts. Also holds what Find Label Issues, Group Unlabelled Images and Find Near-Duplicates
// share: picking the root and writing and opening the report.
import * as vscode from 'vscode';
import type { EngineMethods } from '../../core/engine/protocol';
import type { SuggestLabelsResult } from '../../core/jobs/suggestLabels';
import { writeReport } from '../../core/report/reportFile';
import { METHOD_LABELS, suggestionsMarkdown, type LinkTarget } from '../../core/report/suggestionMarkdown';
import { SUGGESTION_METHODS, type SuggestionMethod } from '../../core/suggest/types';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, modelSource, visionLanguageSettings, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { pickDatasetRoot } from './pickDatasetRoot';

export interface SuggestCommandArgs {
  root?: string;
  method?: SuggestionMethod;
  seed?: number;
  issueConfidence?: number;
}

export interface ReportResult<R> {
  result: R;
  /** The engine's complete result (JSON) and the readable report beside it. */
  jsonPath: string;
  markdownPath: string;
}

export async function suggestLabelsCommand(context: CommandContext, args: SuggestCommandArgs = {}): Promise<ReportResult<SuggestLabelsResult> | undefined> {
  // Suggestions are written into the cache folder.
  if (!requireTrust('Suggesting labels')) return undefined;
  const job = await rootJob(context, args.root, 'Suggest labels for which dataset root?');
  if (!job) return undefined;
  const method = args.method ?? (await pickSuggestionMethod('Suggest labels: method'));
  if (!method) return undefined;
  const label = METHOD_LABELS[method].label;
  const result = await runInEngine(context, 'suggestLabels', `Curator: Suggesting labels with ${label}`, {
    ...job.params,
    method,
    seed: args.seed,
    issueConfidence: args.issueConfidence,
    // Only the mixture has a place for the zero-shot expert.
    visionLanguage: method === 'moe' ? visionLanguageSettings(context) : undefined,
  });
  const createdAt = new Date();
  const markdownPath = await openReport(result.resultFile, job.root, (link) => suggestionsMarkdown(result, link, createdAt));
  logNotes(context, job.root, result.notes);
  context.log.info(`Suggested labels for ${result.items.length} images in ${job.root} with ${label}: ${result.issues} flagged; written to ${result.resultFile}`);
  const unknown = result.openSet?.unknownClassCount ?? 0;
  const newClasses = unknown > 0 ? ` ${unknown} look like a class without labels yet (Possibly new classes in the review panel).` : '';
  void vscode.window.showInformationMessage(`Curator: suggestions for ${result.unlabelled} unlabelled images; ${result.issues} labelled images look wrong (${label}).${newClasses}`);
  return { result, jsonPath: result.resultFile, markdownPath };
}

export interface RootJob {
  root: string;
  params: { root: string; unlabeledFolderName: string; cacheDir: string; model: ReturnType<typeof modelSource> };
}

/** The dataset root (asked for when the workspace has several) and the engine parameters every job needs. */
export async function rootJob(context: CommandContext, root: string | undefined, title: string): Promise<RootJob | undefined> {
  const chosen = root ?? (await pickDatasetRoot(context, title, (s) => `${s.counts.labelled} labelled, ${s.counts.unlabelled} unlabelled images`));
  if (!chosen) return undefined;
  const settings = context.settings();
  return {
    root: chosen,
    params: { root: chosen, unlabeledFolderName: settings.unlabeledFolderName, cacheDir: resolveCacheDir(chosen, settings.cacheLocation), model: modelSource(context) },
  };
}

type ReportJob = 'suggestLabels' | 'findLabelIssues' | 'clusterImages' | 'findDuplicates' | 'findImageProblems';

/** Runs one engine job under a cancellable progress notification, then tells the views its result is there. */
export async function runInEngine<M extends ReportJob>(context: CommandContext, method: M, title: string, params: EngineMethods[M]['params']): Promise<EngineMethods[M]['result']> {
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    context.engine.call(method, params, { signal: abortSignalFor(token) }),
  );
  context.state.resultsWritten(params.root);
  return result;
}

/** Writes the Markdown report beside the engine's JSON result (as the command line does) and opens it. */
export async function openReport(resultFile: string, root: string, render: (link: LinkTarget) => string): Promise<string> {
  const markdownPath = await writeReport(resultFile, root, render);
  await vscode.window.showTextDocument(vscode.Uri.file(markdownPath), { preview: false });
  return markdownPath;
}

export function logNotes(context: CommandContext, root: string, notes: string[]): void {
  for (const note of notes) context.log.warn(`${root}: ${note}`);
}

export async function pickSuggestionMethod(title: string): Promise<SuggestionMethod | undefined> {
  const picked = await vscode.window.showQuickPick(
    SUGGESTION_METHODS.map((method) => ({ label: METHOD_LABELS[method].label, detail: METHOD_LABELS[method].description, method })),
    { title, matchOnDetail: true },
  );
  return picked?.method;
}

