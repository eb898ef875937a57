// Curator: Find Image Problems: images that look wrong beside the rest of their root (dark, bright,
// blurry, low-information, grayscale, odd aspect ratio, odd size), from the statistics the embed
// run stored. The review panel's "Image problems" view lists them. Tests pass { root } to skip the prompt.
import * as vscode from 'vscode';
import type { FindImageProblemsResult } from '../../core/jobs/findImageProblems';
import { imageProblemMarkdown } from '../../core/report/imageProblemMarkdown';
import { imageProblemCounts } from '../../core/report/summaryText';
import type { CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { logNotes, openReport, rootJob, runInEngine, type ReportResult } from './suggestLabels';

export interface ImageProblemsCommandArgs {
  root?: string;
}

export async function findImageProblemsCommand(context: CommandContext, args: ImageProblemsCommandArgs = {}): Promise<ReportResult<FindImageProblemsResult> | undefined> {
  // The result is written into the cache folder.
  if (!requireTrust('Finding image problems')) return undefined;
  const job = await rootJob(context, args.root, 'Find image problems in which dataset root?');
  if (!job) return undefined;
  const result = await runInEngine(context, 'findImageProblems', 'Curator: Looking for image problems', job.params);
  context.state.setImageProblems(job.root, { counts: result.counts, images: result.images });
  const markdownPath = await openReport(result.resultFile, job.root, (link) => imageProblemMarkdown(result, link, new Date()));
  logNotes(context, job.root, result.notes);
  context.log.info(`${job.root}: ${result.findings.length} image problems in ${result.images} images; written to ${result.resultFile}`);
  void vscode.window.showInformationMessage(`Curator: ${imageProblemCounts(result.counts, result.images)}. The review panel's "Image problems" view lists them.`);
  return { result, jsonPath: result.resultFile, markdownPath };
}
