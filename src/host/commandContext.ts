// Everything a command needs, built once in extension.ts and passed in (no globals).

import * as vscode from 'vscode';
import type { EngineClient } from '../core/engine/engineClient';
import type { ModelSource } from '../core/embed/types';
import type { VisionLanguageSettings } from '../core/suggest/zeroShot/zeroShotExpert';
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

export function modelSource(context: CommandContext, setting = context.settings().model): ModelSource {
  return {
    setting,
    bundledDir: context.extension.asAbsolutePath('dist/models/default'),
    storageDir: vscode.Uri.joinPath(context.extension.globalStorageUri, 'models').fsPath,
    // Unset, the engine falls back to CURATOR_MODEL_MIRROR in its environment.
    mirror: context.settings().modelMirror || undefined,
  };
}

/**
 * The zero-shot expert's settings when all three of its files are configured; a partial
 * configuration is an error that says which settings are missing.
 */
export function visionLanguageSettings(context: CommandContext): VisionLanguageSettings | undefined {
  const { imageModel, textEncoder, vocabulary, promptTemplate, temperature } = context.settings().visionLanguage;
  const named = { imageModel, textEncoder, vocabulary };
  const missing = Object.entries(named).filter(([, value]) => value === '').map(([key]) => `curator.visionLanguage.${key}`);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) throw new Error(`The zero-shot expert needs curator.visionLanguage.imageModel, .textEncoder and .vocabulary together; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`);
  return { imageModel: modelSource(context, imageModel), textEncoder, vocabulary, promptTemplate, temperature };
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
