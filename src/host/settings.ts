// Typed access to the extension's settings (package.json `contributes.configuration`).

import * as vscode from 'vscode';
import type { ExecutionProviderSetting } from '../core/embed/types';

export interface CuratorSettings {
  model: string;
  executionProvider: ExecutionProviderSetting;
  batchSize: number;
  unlabeledFolderName: string;
  cacheLocation: string;
  datasetRoots: string[];
}

export function readSettings(): CuratorSettings {
  const config = vscode.workspace.getConfiguration('curator');
  const provider = config.get<string>('executionProvider', 'auto');
  return {
    model: config.get<string>('model', 'default').trim() || 'default',
    executionProvider: provider === 'cuda' || provider === 'cpu' ? provider : 'auto',
    batchSize: clampInteger(config.get<number>('batchSize', 16), 1, 512),
    unlabeledFolderName: config.get<string>('unlabeledFolderName', 'unlabeled').trim() || 'unlabeled',
    cacheLocation: config.get<string>('cacheLocation', ''),
    datasetRoots: config.get<string[]>('datasetRoots', []).filter((root) => typeof root === 'string' && root.trim()),
  };
}

function clampInteger(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
