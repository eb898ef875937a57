// Curator: Find Label Issues: only the labelled images whose label looks wrong, most likely wrong
// first, with the suggested class and the out-of-sample probabilities behind each flag. Tests pass
// { root, method, seed, issueConfidence } to skip the prompts; the method defaults to
// partial-label distillation without asking, since it is the one built to find label errors.
import * as vscode from 'vscode';
import type { FindLabelIssuesResult } from '../../core/jobs/findLabelIssues';
import { issuesMarkdown, METHOD_LABELS } from '../../core/report/suggestionMarkdown';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { logNotes, openReport, rootJob, runInEngine, type ReportResult, type SuggestCommandArgs } from './suggestLabels';

export async function findLabelIssuesCommand(context: CommandContext, args: SuggestCommandArgs = {}): Promise<ReportResult<FindLabelIssuesResult> | undefined> {
  if (!requireTrust('Finding label issues')) return undefined;
  const job = await rootJob(context, args.root, 'Find label issues in which dataset root?');
  if (!job) return undefined;
  const method = args.method ?? 'pll';
  const result = await runInEngine(context, 'findLabelIssues', `Curator: Checking labels with ${METHOD_LABELS[method].label}`, {
    ...job.params,
    method,
    seed: args.seed,
    issueConfidence: args.issueConfidence,
  });
  const markdownPath = await openReport(result.resultFile, job.root, (link) => issuesMarkdown(result, link, new Date()));
  logNotes(context, job.root, result.notes);
  context.log.info(`Checked ${result.labelled} labels in ${job.root}: ${result.items.length} look wrong; written to ${result.resultFile}`);
  void vscode.window.showInformationMessage(`Curator: ${result.items.length} of ${result.labelled} labelled images look mislabelled.`);
  return { result, jsonPath: result.resultFile, markdownPath };
}
