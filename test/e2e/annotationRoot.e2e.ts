import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NO_OBJECTS_LABEL, scanDataset } from '../../src/core/dataset';
import { annotatedFacts, makeCocoRoot, makeYoloRoot } from '../fixtures/annotatedDatasets';
import { fixtureFacts } from '../fixtures/makeDataset';
import type { E2eTest } from './e2eTest';
import { acceptSaveDialog, pickRow } from './quickPicks';
import { decodedThumbnails, QUICK_ROWS, reviewFrame, waitFor } from './reviewFrame';

type Kind = 'coco' | 'yolo';

/** What differs between the kinds: where the fixture puts things, and what the subset folder holds. */
interface KindFacts {
  make: (workspace: string) => Promise<string>;
  facts: Record<string, string[] | null>;
  /** The image with two classes. */
  multiClassImage: string;
  /** A file the annotation tool owns, which a label key must leave alone. */
  annotationFile: string;
  /** The images the subset holds, read from the written folder. */
  readSubset: (out: string) => Promise<string[]>;
}

const KINDS: Record<Kind, KindFacts> = {
  coco: {
    make: (workspace) => makeCocoRoot(workspace),
    facts: annotatedFacts.coco,
    multiClassImage: 'train/astronaut.png',
    annotationFile: 'annotations/instances_train.json',
    readSubset: async (out) => {
      const written = JSON.parse(readFileSync(join(out, 'annotations', 'instances_selection.json'), 'utf8')) as { images: Array<{ file_name: string }> };
      return written.images.map((image) => image.file_name);
    },
  },
  yolo: {
    make: (workspace) => makeYoloRoot(workspace),
    facts: annotatedFacts.yolo,
    multiClassImage: 'images/train/astronaut.png',
    annotationFile: 'labels/train/astronaut.txt',
    readSubset: async (out) => {
      // The subset is a YOLO dataset of its own: its scan gives every image the classes it had.
      assert.ok(existsSync(join(out, 'data.yaml')) && existsSync(join(out, 'images')) && existsSync(join(out, 'labels')), `${out} holds data.yaml, images/ and labels/`);
      const scan = await scanDataset(out);
      for (const image of scan.images) {
        const classes = annotatedFacts.yolo[image.relPath];
        assert.deepEqual([image.label, image.classes], [classes?.[0] ?? NO_OBJECTS_LABEL, classes], image.relPath);
      }
      return scan.images.map((image) => image.relPath);
    },
  },
};

/**
 * A COCO or YOLO root in the review panel: it says why labels are not written there, the details
 * list every class of an image, a label key writes nothing, and Export… offers only the subset of
 * the root's own kind and writes it.
 */
function annotationRootTest(kind: Kind): E2eTest {
  const { make, facts, multiClassImage, annotationFile, readSubset } = KINDS[kind];
  const name = kind.toUpperCase();
  const other = kind === 'coco' ? 'YOLO' : 'COCO';
  const subsetFolder = `${kind}-${kind}-selection`;
  return {
    name: `Review panel on a ${name} root: all classes in the details, labels not written, Export… as a ${name} subset`,
    async prepare(workspace) {
      // The annotated root alone, so the panel opens on it.
      await rm(join(workspace, fixtureFacts.rootName), { recursive: true, force: true });
      await rm(join(workspace, fixtureFacts.photos.rootName), { recursive: true, force: true });
      await make(workspace);
    },
    async run({ workbench, workspace }) {
      const root = join(workspace, kind);
      const reason = new RegExp(`This is a ${name} dataset: its labels are annotations`);
      await workbench.waitForExplorer();
      await workbench.runCommand('Curator: Open Review Panel');
      const frame = reviewFrame(workbench);
      await frame.locator('.tile img').first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await frame.locator('.header .notice').textContent()) ?? '', reason);

      // The labelled view: the astronaut photo carries both its classes, most objects first.
      await frame.locator('.views [role="tab"]').filter({ hasText: /^Labelled/ }).click();
      const image = frame.locator(`.tile[title="${multiClassImage}"]`);
      await image.waitFor({ state: 'visible', timeout: 15_000 });
      await waitFor('thumbnails to decode', async () => (await decodedThumbnails(frame)) >= 1);
      await image.click();
      const expected = facts[multiClassImage]!.join(', ');
      await waitFor(`the details to list ${expected}`, async () => ((await frame.locator('.details .facts').textContent()) ?? '').includes(`Classes${expected}`));

      // A label key says why nothing is written, and nothing is.
      const before = readFileSync(join(root, annotationFile), 'utf8');
      await frame.locator('.grid[role="grid"]').press('1');
      await waitFor('the status to give the reason', async () => reason.test((await frame.locator('.status-text').textContent()) ?? ''));
      assert.equal(readFileSync(join(root, annotationFile), 'utf8'), before);

      // Export… offers the subset of this kind (and not the other) and writes it.
      await frame.locator('.grid[role="grid"]').press('e');
      const rows = workbench.page.locator(QUICK_ROWS);
      await rows.filter({ hasText: new RegExp(`^${name} subset`) }).first().waitFor({ state: 'visible', timeout: 15_000 });
      const offered = await rows.allTextContents();
      assert.ok(!offered.some((row) => row.startsWith(`${other} subset`)), offered.join(' | '));
      await pickRow(workbench, new RegExp(`^${name} subset`));
      const out = join(workspace, subsetFolder);
      await acceptSaveDialog(workbench, subsetFolder, async () => existsSync(out));
      const labelled = Object.keys(facts).filter((path) => facts[path] !== null);
      assert.deepEqual((await readSubset(out)).sort(), labelled.sort());
      await workbench.screenshot(`review-panel-${kind}`);
    },
  };
}

export const annotationRootInPanel = annotationRootTest('coco');
export const yoloRootInPanel = annotationRootTest('yolo');
