// Curator: Compute Embeddings — embed every image of every dataset root in the engine process,
// with a cancellable progress notification; cached images are skipped.

import * as vscode from 'vscode';
import type { EmbedDatasetResult, EmbedProgress } from '../../core/embed/types';
import { LOW_AGREEMENT } from '../../core/embed/neighbourAgreement';
import { embedHeadline, encoderCheckSentence } from '../../core/report/summaryText';
import { resolveCacheDir } from '../../core/workspace/cacheDir';
import { abortSignalFor, modelSource, type CommandContext } from '../commandContext';
import { requireTrust } from '../trust';
import { scanQuietly } from './scanWorkspace';

export interface EmbedCommandResult {
  roots: EmbedDatasetResult[];
}

export async function computeEmbeddingsCommand(context: CommandContext): Promise<EmbedCommandResult | undefined> {
  if (!requireTrust('Computing embeddings')) return undefined;
  const summaries = await scanQuietly(context);
  if (summaries.length === 0) {
    void vscode.window.showWarningMessage('Curator: no dataset roots found. See the README for the folder conventions.');
    return { roots: [] };
  }
  const settings = context.settings();
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Curator: Computing embeddings', cancellable: true },
    async (progress, token) => {
      const signal = abortSignalFor(token);
      const done: EmbedDatasetResult[] = [];
      for (const [index, summary] of summaries.entries()) {
        const rootLabel = summaries.length > 1 ? `${vscode.workspace.asRelativePath(summary.root)} (${index + 1}/${summaries.length}): ` : '';
        let reportedPercent = 0;
        const result = await context.engine.call(
          'embedDataset',
          {
            root: summary.root,
            unlabeledFolderName: settings.unlabeledFolderName,
            cacheDir: resolveCacheDir(summary.root, settings.cacheLocation),
            model: modelSource(context),
            executionProvider: settings.executionProvider,
            batchSize: settings.batchSize,
            // The scan just made above: the engine hands it over instead of scanning the root again.
            scanId: summary.scanId,
          },
          {
            signal,
            onProgress: (update) => {
              // The bar covers the embedding phase of all roots; earlier phases only change the text.
              const percent = update.phase === 'embed' && update.total > 0 ? (100 * update.done) / update.total / summaries.length : 0;
              const increment = Math.max(0, percent - reportedPercent);
              reportedPercent = Math.max(reportedPercent, percent);
              progress.report({ message: rootLabel + describeProgress(update), increment });
            },
          },
        );
        context.log.info(`${result.root}: model ${result.modelId} on ${result.providerNote}`);
        for (const repair of result.cacheRepairs) context.log.warn(`${result.root}: cache repaired: ${repair}`);
        for (const failure of result.failed) context.log.warn(`${result.root}: ${failure.relPath}: ${failure.message}`);
        context.state.setEmbedding(result);
        done.push(result);
      }
      return done;
    },
  );
  const headline = `Curator: ${embedHeadline(results)}.`;
  context.log.info(headline);
  const failed = results.some((r) => r.failed.length > 0);
  void vscode.window.showInformationMessage(headline, ...(failed ? ['Show Log'] : [])).then((choice) => {
    if (choice === 'Show Log') context.log.show();
  });
  reportEncoderChecks(context, results);
  return { roots: results };
}

/** The encoder check goes to the log for every root, and to a warning with the way out when it is low. */
function reportEncoderChecks(context: CommandContext, results: EmbedDatasetResult[]): void {
  for (const result of results) {
    const sentence = encoderCheckSentence(result);
    if (sentence === undefined || result.neighbourAgreement === undefined) continue;
    const where = vscode.workspace.asRelativePath(result.root);
    context.log.info(`${where}: ${sentence}`);
    if (result.neighbourAgreement >= LOW_AGREEMENT) continue;
    void vscode.window.showWarningMessage(`Curator: ${where}: ${sentence}`, CHOOSE_MODEL).then((choice) => {
      if (choice === CHOOSE_MODEL) void vscode.commands.executeCommand('curator.chooseEmbeddingModel');
    });
  }
}

const CHOOSE_MODEL = 'Choose Embedding Model';

function describeProgress(update: EmbedProgress): string {
  const n = (value: number): string => value.toLocaleString('en');
  switch (update.phase) {
    case 'model':
      return update.total > 0 ? `downloading model ${(update.done / 1e6).toFixed(1)}/${(update.total / 1e6).toFixed(1)} MB` : 'loading model';
    case 'scan':
      return `scanning (${n(update.done)} files)`;
    case 'hash':
      return `checking ${n(update.done)}/${n(update.total)} changed files`;
    case 'embed': {
      const rate = update.imagesPerSecond ? ` · ${update.imagesPerSecond.toFixed(1)} img/s` : '';
      return `${n(update.done)}/${n(update.total)} images${rate}`;
    }
  }
}
