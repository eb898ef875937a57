// Everything the review panel contributes to VS Code: its command and the serializer that brings
// the panel back (with its webview state) when VS Code restarts.

import * as vscode from 'vscode';
import { parseReviewPanelState } from '../../shared/protocol/review';
import type { CommandContext } from '../commandContext';
import { registerCuratorCommand } from '../runCommand';
import { ReviewPanel } from './ReviewPanel';

export function registerReviewPanel(context: CommandContext): vscode.Disposable[] {
  const deps = { context, labels: context.labels };
  return [
    registerCuratorCommand(context, 'curator.openReviewPanel', () => ReviewPanel.show(deps)),
    vscode.window.registerWebviewPanelSerializer(ReviewPanel.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        try {
          await ReviewPanel.revive(deps, panel, parseReviewPanelState(state));
        } catch (error) {
          context.log.error(`Could not restore the review panel: ${error instanceof Error ? error.message : String(error)}`);
          panel.dispose();
        }
      },
    }),
  ];
}
