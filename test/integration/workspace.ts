// Helpers shared by the integration tests: the fixture workspace the workbench opened, and
// the shapes the extension's commands return.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** The fixture folder: the runner opens exactly one workspace folder, made by makeFixtureDataset. */
export function fixtureWorkspace(): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'the integration tier opens exactly one workspace folder');
  return folders[0].uri.fsPath;
}

export interface ScanProblem {
  relPath: string;
  kind: string;
  severity: string;
  message: string;
}

export interface ScannedRoot {
  root: string;
  counts: { images: number; labelled: number; unlabelled: number; ignoredFiles: number };
  classes: { name: string; count: number }[];
  problems: ScanProblem[];
}

export interface ScanResult {
  roots: ScannedRoot[];
}

export interface EmbeddedRoot {
  root: string;
  embedded: number;
  fromCache: number;
  failed: number;
  provider: 'cpu' | 'cuda';
  modelId: string;
}

export interface EmbeddingsResult {
  roots: EmbeddedRoot[];
}
