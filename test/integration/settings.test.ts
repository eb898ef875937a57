import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Curator settings', () => {
  const defaults: Record<string, unknown> = {
    executionProvider: 'auto',
    batchSize: 16,
    unlabeledFolderName: 'unlabeled',
  };

  for (const [key, expected] of Object.entries(defaults)) {
    it(`curator.${key} defaults to ${JSON.stringify(expected)}`, () => {
      const inspected = vscode.workspace.getConfiguration('curator').inspect(key);
      assert.ok(inspected, `curator.${key} is a contributed setting`);
      assert.deepEqual(inspected.defaultValue, expected);
    });
  }
});
