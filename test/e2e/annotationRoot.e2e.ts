import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { annotatedFacts, makeCocoRoot } from '../fixtures/annotatedDatasets';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { acceptSaveDialog, pickRow } from './quickPicks';
import { decodedThumbnails, QUICK_ROWS, reviewFrame, waitFor } from './reviewFrame';

const SUBSET = 'coco-coco-selection';

/** A COCO root in the review panel: every class of an image in the details, browsing only, and Export… as a COCO subset. */
export const annotationRootInPanel: E2eTest = {
  name: 'Review panel on a COCO root: all classes in the details, labels not written, Export… as a COCO subset',
  async prepare(workspace) {
    // The COCO root alone, so the panel opens on it.
    await rm(join(workspace, fixtureFacts.rootName), { recursive: true, force: true });
    await rm(join(workspace, fixtureFacts.photos.rootName), { recursive: true, force: true });
    await makeCocoRoot(workspace);
  },
  async run({ workbench, workspace }) {
    const root = join(workspace, 'coco');
    await workbench.waitForExplorer();
    await workbench.runCommand('Curator: Open Review Panel');
    const frame = reviewFrame(workbench);
    await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
    const notice = (await frame.locator('.header .notice').textContent()) ?? '';
    assert.match(notice, /This is a COCO dataset: its labels are annotations/);

    // The labelled view: the astronaut photo carries both its classes, most objects first.
    await frame.locator('.views [role="tab"]').filter({ hasText: /^Labelled/ }).click();
    const astronaut = frame.locator('.tile[title="train/astronaut.png"]');
    await astronaut.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 1);
    await astronaut.click();
    const expected = annotatedFacts.coco['train/astronaut.png']!.join(', ');
    await waitFor(`the details to list ${expected}`, async () => ((await frame.locator('.details .facts').textContent()) ?? '').includes(`Classes${expected}`));

    // A label key says why nothing is written, and nothing is.
    const before = readFileSync(join(root, 'annotations', 'instances_train.json'), 'utf8');
    await frame.locator('.grid[role="grid"]').press('1');
    await waitFor('the status to give the reason', async () => /This is a COCO dataset/.test((await frame.locator('.status-text').textContent()) ?? ''));
    assert.equal(readFileSync(join(root, 'annotations', 'instances_train.json'), 'utf8'), before);

    // Export… offers the COCO subset (and no YOLO subset) and writes it.
    await frame.locator('.grid[role="grid"]').press('e');
    const rows = workbench.page.locator(QUICK_ROWS);
    await rows.filter({ hasText: /^COCO subset/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const offered = await rows.allTextContents();
    assert.ok(!offered.some((row) => /^YOLO subset/.test(row)), offered.join(' | '));
    await pickRow(workbench, /^COCO subset/);
    const out = join(workspace, SUBSET);
    await acceptSaveDialog(workbench, SUBSET, async () => existsSync(join(out, 'annotations', 'instances_selection.json')));
    const written = JSON.parse(readFileSync(join(out, 'annotations', 'instances_selection.json'), 'utf8')) as { images: Array<{ file_name: string }> };
    const labelled = Object.keys(annotatedFacts.coco).filter((path) => annotatedFacts.coco[path] !== null);
    assert.deepEqual(written.images.map((image) => image.file_name).sort(), labelled.sort());
    await workbench.screenshot('review-panel-coco');
  },
};
