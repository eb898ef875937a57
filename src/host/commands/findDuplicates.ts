// Curator: Find Near-Duplicates: identical files and near-identical images in a root, to keep out
// of different sides of a train/test split. Tests pass { root, threshold } to skip the prompt.
import * as vscode from 'vscode';
import { duplicateMarkdown } from '../../core/report/duplicateMarkdown';
import type { FindDuplicatesResult } from '../../core/jobs/findDuplicates';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { logNotes, openReport, rootJob, runInEngine, type ReportResult } from './suggestLabels';

export interface DuplicatesCommandArgs {
  root?: string;
  /** Cosine distance of the raw embeddings at or under which two images are near-duplicates. */
  threshold?: number;
}

export async function findDuplicatesCommand(context: CommandContext, args: DuplicatesCommandArgs = {}): Promise<ReportResult<FindDuplicatesResult> | undefined> {
  // The result is written into the cache folder.
  if (!requireTrust('Finding near-duplicates')) return undefined;
  const job = await rootJob(context, args.root, 'Find near-duplicates in which dataset root?');
  if (!job) return undefined;
  if (args.threshold !== undefined && !(args.threshold >= 0 && args.threshold <= 2)) throw new Error(`The distance threshold must be from 0 to 2 (got ${args.threshold}).`);
  const result = await runInEngine(context, 'findDuplicates', 'Curator: Looking for near-duplicates', { ...job.params, threshold: args.threshold });
  const markdownPath = await openReport(result.resultFile, job.root, (link) => duplicateMarkdown(result, link, new Date()));
  logNotes(context, job.root, result.notes);
  context.log.info(`${job.root}: ${result.exactGroups} groups of identical files, ${result.nearGroups} near-duplicate groups; written to ${result.resultFile}`);
  void vscode.window.showInformationMessage(`Curator: ${result.exactGroups} groups of identical files, ${result.nearGroups} groups of near-duplicates.`);
  return { result, jsonPath: result.resultFile, markdownPath };
}
