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

// The commands' own result types: a change to what a command returns is a compile error here.
export type { ScanCommandResult as ScanResult } from '../../src/host/commands/scanWorkspace';
export type { EmbedCommandResult as EmbeddingsResult } from '../../src/host/commands/computeEmbeddings';
export type { ScanSummary as ScannedRoot } from '../../src/core/jobs/scanWorkspace';
export type { EmbedDatasetResult as EmbeddedRoot } from '../../src/core/embed/types';
