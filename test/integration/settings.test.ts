import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Curator settings', () => {
  const defaults: Record<string, unknown> = {
    executionProvider: 'auto',
    batchSize: 16,
    unlabeledFolderName: 'unlabeled',
    'labelStudio.documentRoot': '',
  };

  for (const [key, expected] of Object.entries(defaults)) {
    it(`curator.${key} defaults to ${JSON.stringify(expected)}`, () => {
      const inspected = vscode.workspace.getConfiguration('curator').inspect(key);
      assert.ok(inspected, `curator.${key} is a contributed setting`);
      assert.deepEqual(inspected.defaultValue, expected);
    });
  }

  it('lets only a trusted workspace set Label Studio\'s document root: window-scoped and restricted', () => {
    const manifest = vscode.extensions.getExtension('dataset-curator.dataset-curator')?.packageJSON as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(manifest.contributes.configuration.properties['curator.labelStudio.documentRoot']?.scope, 'window');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('curator.labelStudio.documentRoot'));
  });
});
