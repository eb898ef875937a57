import * as assert from 'node:assert/strict';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';

/** A user scans the workspace from the palette and reads the summary toast. */
export const scanWorkspaceFromPalette: E2eTest = {
  name: 'Scan Workspace from the palette shows the dataset counts',
  async run({ workbench }) {
    await workbench.waitForExplorer();
    await workbench.screenshot('workspace-open');

    await workbench.runCommand('Curator: Scan Workspace');
    const toast = await workbench.waitForToast(/^Curator: .*images/);
    await workbench.screenshot('scan-toast');

    assert.match(toast, new RegExp(`\\b${fixtureFacts.labelled} labelled\\b`));
    assert.match(toast, new RegExp(`\\b${fixtureFacts.classes.length} classes\\b`));
    assert.match(toast, new RegExp(`\\b${fixtureFacts.brokenFiles.length} problems\\b`));
    // The scanner may or may not count the two broken files as images; the toast must agree with itself.
    const images = Number(/(\d+) images/.exec(toast)?.[1]);
    const unlabelled = Number(/(\d+) unlabelled/.exec(toast)?.[1]);
    assert.equal(images, fixtureFacts.labelled + unlabelled, `toast: ${toast}`);
    assert.ok(unlabelled >= fixtureFacts.unlabelledDecodable, `toast: ${toast}`);
  },
};
