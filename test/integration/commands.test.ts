import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'dataset-curator.dataset-curator';

/** The palette entries users rely on; renaming one breaks their keybindings and habits. */
const CONTRIBUTED_COMMANDS: Record<string, string> = {
  'curator.scanWorkspace': 'Scan Workspace',
  'curator.computeEmbeddings': 'Compute Embeddings',
  'curator.exportEmbeddings': 'Export Embeddings for Python',
  'curator.showSummary': 'Show Dataset Summary',
  'curator.selectSamples': 'Select Samples to Label',
  'curator.openReviewPanel': 'Open Review Panel',
  'curator.exportSelection': 'Export Selection',
  'curator.acceptSuggestions': 'Accept Sure Suggestions',
  'curator.importLabels': 'Import Labels…',
  'curator.restartEngine': 'Restart Engine Process',
  'curator.showLog': 'Show Log',
  'curator.chooseEmbeddingModel': 'Choose Embedding Model',
};

describe('Curator commands', () => {
  it('are contributed under the Curator category with their palette titles', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string; title: string; category?: string }[];
    for (const [id, title] of Object.entries(CONTRIBUTED_COMMANDS)) {
      const entry = contributed.find((command) => command.command === id);
      assert.ok(entry, `${id} is contributed`);
      assert.equal(entry.title, title);
      assert.equal(entry.category, 'Curator');
    }
  });

  it('are all registered once the extension is active', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string }[];
    const missing = contributed.map((entry) => entry.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'every contributed command has a handler');
  });
});
