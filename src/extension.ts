// Composition root: builds every service once, wires commands to them, and tracks disposables.
// The extension host only orchestrates; scanning, decoding and inference run in the engine process.

import * as vscode from 'vscode';
import { EngineClient } from './core/engine/engineClient';
import { chooseEmbeddingModelCommand } from './host/commands/chooseEmbeddingModel';
import { computeEmbeddingsCommand } from './host/commands/computeEmbeddings';
import { exportEmbeddingsCommand, type ExportCommandArgs } from './host/commands/exportEmbeddings';
import { exportSelectionCommand, type ExportSelectionArgs } from './host/commands/exportSelection';
import { findDuplicatesCommand, type DuplicatesCommandArgs } from './host/commands/findDuplicates';
import { findImageProblemsCommand, type ImageProblemsCommandArgs } from './host/commands/findImageProblems';
import { findLabelIssuesCommand } from './host/commands/findLabelIssues';
import { groupUnlabelledCommand, type GroupCommandArgs } from './host/commands/groupUnlabelled';
import { acceptSuggestionsCommand, type AcceptSuggestionsArgs } from './host/commands/acceptSuggestions';
import { importLabelsCommand, type ImportLabelsArgs } from './host/commands/importLabels';
import { scanWorkspaceCommand } from './host/commands/scanWorkspace';
import { selectSamplesCommand, type SelectCommandArgs } from './host/commands/selectSamples';
import { suggestLabelsCommand, type SuggestCommandArgs } from './host/commands/suggestLabels';
import type { CommandContext } from './host/commandContext';
import { CuratorState } from './host/curatorState';
import { LabelService } from './host/labels/labelService';
import { registerReviewPanel } from './host/review/registerReviewPanel';
import { registerCuratorCommand } from './host/runCommand';
import { readSettings } from './host/settings';
import { SummaryPanel } from './host/summaryPanel';

/** What the extension exposes to other extensions and to its integration tests. */
export interface CuratorApi {
  labels: LabelService;
}

export function activate(extension: vscode.ExtensionContext): CuratorApi {
  const log = vscode.window.createOutputChannel('Dataset Curator', { log: true });
  const state = new CuratorState();
  const engine = new EngineClient({
    enginePath: extension.asAbsolutePath('dist/engine.js'),
    log: (level, message) => log[level](message),
  });
  const labels = new LabelService(state, readSettings, log);
  const context: CommandContext = { engine, state, log, extension, settings: readSettings, labels };

  extension.subscriptions.push(
    log,
    state,
    { dispose: () => engine.dispose() },
    registerCuratorCommand(context, 'curator.scanWorkspace', () => scanWorkspaceCommand(context)),
    registerCuratorCommand(context, 'curator.computeEmbeddings', () => computeEmbeddingsCommand(context)),
    registerCuratorCommand(context, 'curator.exportEmbeddings', (args?: ExportCommandArgs) => exportEmbeddingsCommand(context, args)),
    registerCuratorCommand(context, 'curator.selectSamples', (args?: SelectCommandArgs) => selectSamplesCommand(context, args)),
    registerCuratorCommand(context, 'curator.exportSelection', (args?: ExportSelectionArgs) => exportSelectionCommand(context, args)),
    registerCuratorCommand(context, 'curator.suggestLabels', (args?: SuggestCommandArgs) => suggestLabelsCommand(context, args)),
    registerCuratorCommand(context, 'curator.acceptSuggestions', (args?: AcceptSuggestionsArgs) => acceptSuggestionsCommand(context, args)),
    registerCuratorCommand(context, 'curator.importLabels', (args?: ImportLabelsArgs) => importLabelsCommand(context, args)),
    registerCuratorCommand(context, 'curator.findLabelIssues', (args?: SuggestCommandArgs) => findLabelIssuesCommand(context, args)),
    registerCuratorCommand(context, 'curator.groupUnlabelled', (args?: GroupCommandArgs) => groupUnlabelledCommand(context, args)),
    registerCuratorCommand(context, 'curator.findDuplicates', (args?: DuplicatesCommandArgs) => findDuplicatesCommand(context, args)),
    registerCuratorCommand(context, 'curator.findImageProblems', (args?: ImageProblemsCommandArgs) => findImageProblemsCommand(context, args)),
    registerCuratorCommand(context, 'curator.chooseEmbeddingModel', () => chooseEmbeddingModelCommand(context)),
    registerCuratorCommand(context, 'curator.showSummary', async () => SummaryPanel.show(context)),
    ...registerReviewPanel(context),
    registerCuratorCommand(context, 'curator.restartEngine', async () => {
      engine.restart();
      log.info('Engine process stopped on request; the next command starts a new one.');
    }),
    registerCuratorCommand(context, 'curator.showLog', async () => log.show()),
  );
  log.info(`Dataset Curator ${extension.extension.packageJSON.version} activated (workspace trusted: ${vscode.workspace.isTrusted}).`);
  return { labels };
}

export function deactivate(): void {}
