// Everything a command needs, built once in extension.ts and passed in (no globals).

import * as vscode from 'vscode';
import type { EngineClient } from '../core/engine/engineClient';
import type { ModelSource } from '../core/embed/types';
import type { CuratorState } from './curatorState';
import type { LabelService } from './labels/labelService';
import type { CuratorSettings } from './settings';

export interface CommandContext {
  engine: EngineClient;
  state: CuratorState;
  log: vscode.LogOutputChannel;
  extension: vscode.ExtensionContext;
  settings: () => CuratorSettings;
  labels: LabelService;
}

export function modelSource(context: CommandContext): ModelSource {
  return {
    setting: context.settings().model,
    bundledDir: context.extension.asAbsolutePath('dist/models/default'),
    storageDir: vscode.Uri.joinPath(context.extension.globalStorageUri, 'models').fsPath,
  };
}

/** Local workspace folders (the extension runs where the files are, so every folder is a file: URI). */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** An AbortSignal that fires when the user cancels a progress notification. */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
