// Curator: Group Unlabelled Images: clusters of similar unlabelled images whose ids stay stable
// across runs (each run refines the previous round), so a whole group can be labelled at once.
// Tests pass { root, k, seed, newRound } to skip the prompt.
import * as vscode from 'vscode';
import { clusterMarkdown } from '../../core/report/clusterMarkdown';
import type { ClusterImagesResult } from '../../core/jobs/clusterImages';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { logNotes, openReport, rootJob, runInEngine, type ReportResult } from './suggestLabels';

export interface GroupCommandArgs {
  root?: string;
  /** Number of groups; default about sqrt(n / 2). */
  k?: number;
  seed?: number;
  /** Re-cluster even when nothing changed since the latest round. */
  newRound?: boolean;
}

export async function groupUnlabelledCommand(context: CommandContext, args: GroupCommandArgs = {}): Promise<ReportResult<ClusterImagesResult> | undefined> {
  // Every round is kept in the cache folder.
  if (!requireTrust('Grouping images')) return undefined;
  const job = await rootJob(context, args.root, 'Group the unlabelled images of which dataset root?');
  if (!job) return undefined;
  if (args.k !== undefined && (!Number.isInteger(args.k) || args.k < 2)) throw new Error(`The number of groups must be a whole number of at least 2 (got ${args.k}).`);
  const result = await runInEngine(context, 'clusterImages', 'Curator: Grouping unlabelled images', { ...job.params, k: args.k, seed: args.seed, newRound: args.newRound });
  const markdownPath = await openReport(result.resultFile, job.root, (link) => clusterMarkdown(result, link, new Date()));
  logNotes(context, job.root, result.notes);
  context.log.info(`Grouped the unlabelled images of ${job.root} into ${result.clusters.length} clusters (round ${result.round}); written to ${result.resultFile}`);
  void vscode.window.showInformationMessage(`Curator: ${result.clusters.length} groups (round ${result.round}${result.refined ? ', ids kept from the previous round' : ''}).`);
  return { result, jsonPath: result.resultFile, markdownPath };
}
