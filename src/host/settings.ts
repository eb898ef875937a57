// Typed access to the extension's settings (package.json `contributes.configuration`).

import * as vscode from 'vscode';
import type { ExecutionProviderSetting } from '../core/embed/types';

export interface CuratorSettings {
  model: string;
  /** Base URL of a mirror of the model catalogue's files; empty: the publishers' URLs. */
  modelMirror: string;
  executionProvider: ExecutionProviderSetting;
  batchSize: number;
  unlabeledFolderName: string;
  cacheLocation: string;
  datasetRoots: string[];
  /** The folder Label Studio serves local files from (its LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT); empty: the folder holding the dataset root. */
  labelStudioDocumentRoot: string;
  /** The zero-shot expert's CLIP-style towers; empty strings when not configured. */
  visionLanguage: { imageModel: string; textEncoder: string; vocabulary: string; promptTemplate: string; temperature: number };
}

export function readSettings(): CuratorSettings {
  const config = vscode.workspace.getConfiguration('curator');
  const provider = config.get<string>('executionProvider', 'auto');
  return {
    model: config.get<string>('model', 'default').trim() || 'default',
    modelMirror: config.get<string>('modelMirror', '').trim(),
    executionProvider: provider === 'cuda' || provider === 'cpu' ? provider : 'auto',
    batchSize: clampInteger(config.get<number>('batchSize', 16), 1, 512),
    unlabeledFolderName: config.get<string>('unlabeledFolderName', 'unlabeled').trim() || 'unlabeled',
    cacheLocation: config.get<string>('cacheLocation', ''),
    datasetRoots: config.get<string[]>('datasetRoots', []).filter((root) => typeof root === 'string' && root.trim()),
    labelStudioDocumentRoot: config.get<string>('labelStudio.documentRoot', '').trim(),
    visionLanguage: {
      imageModel: config.get<string>('visionLanguage.imageModel', '').trim(),
      textEncoder: config.get<string>('visionLanguage.textEncoder', '').trim(),
      vocabulary: config.get<string>('visionLanguage.vocabulary', '').trim(),
      promptTemplate: config.get<string>('visionLanguage.promptTemplate', 'a photo of a {class}'),
      temperature: config.get<number>('visionLanguage.temperature', 0.01),
    },
  };
}

function clampInteger(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
