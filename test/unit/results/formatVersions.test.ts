// Each format under a root's cache folder is versioned: what the jobs write carries its version,
// files older than the field still read as version 1, and a version the reader does not know is
// refused by name rather than misread.

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveSelection } from '../../../src/core/report/savedSelections';
import { CLUSTER_ROUNDS_FOLDER, latestRound, writeRound } from '../../../src/core/results/clusterRounds';
import { checkFormatVersion, UnknownFormatVersionError } from '../../../src/core/results/formatVersion';
import { newestSelectionFile, readSelectionItems, SELECTION_FORMAT_VERSION, SELECTIONS_FOLDER } from '../../../src/core/results/selectionFiles';
import { readResultFile, RESULT_FORMAT_VERSION, writeResultFile } from '../../../src/core/results/suggestionFiles';
import { loadLatestSelection } from '../../../src/core/review/selectionFile';
import type { SelectSamplesResult } from '../../../src/core/jobs/selectSamples';
import { tempDir } from '../../support/paths';

describe('result formats', () => {
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: cacheDir, cleanup } = await tempDir('formats'));
  });
  afterEach(() => cleanup());

  describe('checkFormatVersion', () => {
    it('reads a file without a version as version 1, and the versions it knows as themselves', () => {
      assert.equal(checkFormatVersion({}, 2, 'f.json'), 1);
      assert.equal(checkFormatVersion({ formatVersion: 2 }, 2, 'f.json'), 2);
    });

    it('refuses a newer version, naming the file, both versions and what to do', () => {
      assert.throws(
        () => checkFormatVersion({ formatVersion: 3 }, 1, 'f.json'),
        (error: unknown) =>
          error instanceof UnknownFormatVersionError && /^f\.json has format version 3; this version of Dataset Curator reads version 1 only\. It was written by a newer Dataset Curator/.test(error.message),
      );
    });

    it('refuses what is no version at all', () => {
      for (const formatVersion of ['1', 0, 1.5]) assert.throws(() => checkFormatVersion({ formatVersion }, 1, 'f.json'), UnknownFormatVersionError, String(formatVersion));
    });
  });

  describe('suggestion result files', () => {
    const file = (): string => join(cacheDir, 'suggestions', 'pll.json');

    it('are written with the current version and read back', async () => {
      await writeResultFile(file(), { root: '/r', resultFile: file(), method: 'pll', items: [] });
      const raw = await readResultFile(file());
      assert.equal(raw.formatVersion, RESULT_FORMAT_VERSION);
      assert.equal(raw.method, 'pll');
      assert.equal('root' in raw, false, 'the root is left out so the folder can move');
    });

    it('from before the version field are read; from a newer layout are refused', async () => {
      await mkdir(join(cacheDir, 'suggestions'), { recursive: true });
      await writeFile(file(), JSON.stringify({ method: 'pll', items: [] }));
      assert.equal((await readResultFile(file())).method, 'pll');
      await writeFile(file(), JSON.stringify({ formatVersion: RESULT_FORMAT_VERSION + 1, method: 'pll', items: [] }));
      await assert.rejects(readResultFile(file()), UnknownFormatVersionError);
    });
  });

  describe('cluster rounds', () => {
    const round = { round: 2, modelId: 'm', k: 3, alpha: 0.5, seed: 7, assignments: { ['a'.repeat(64)]: 1 } };

    it('are written versioned and the latest is read back', async () => {
      await writeRound(cacheDir, { ...round, round: 1 });
      await writeRound(cacheDir, round);
      const latest = await latestRound(cacheDir);
      assert.deepEqual({ round: latest?.round, assignments: latest?.assignments }, { round: 2, assignments: round.assignments });
      const raw = JSON.parse(await readFile(join(cacheDir, CLUSTER_ROUNDS_FOLDER, 'round-0002.json'), 'utf8'));
      assert.equal(raw.formatVersion, RESULT_FORMAT_VERSION);
    });

    it('in a newer layout are refused', async () => {
      await mkdir(join(cacheDir, CLUSTER_ROUNDS_FOLDER), { recursive: true });
      await writeFile(join(cacheDir, CLUSTER_ROUNDS_FOLDER, 'round-0003.json'), JSON.stringify({ ...round, formatVersion: RESULT_FORMAT_VERSION + 1 }));
      await assert.rejects(latestRound(cacheDir), UnknownFormatVersionError);
    });
  });

  describe('selections', () => {
    const selection = { method: 'random', budget: 1, seed: 0, root: '/r', modelId: 'm', candidates: 1, labelled: 0, kernels: 'js', seconds: 0, items: [{ path: 'unlabeled/a.png', rank: 1, score: 0.5 }], notes: [] } as SelectSamplesResult;

    it('are saved versioned, found as the newest, and read by the review panel and Export Selection', async () => {
      const saved = await saveSelection(cacheDir, selection, new Date(0));
      assert.equal(await newestSelectionFile(cacheDir), saved.jsonPath);
      const raw: unknown = JSON.parse(await readFile(saved.jsonPath, 'utf8'));
      assert.equal((raw as { formatVersion: number }).formatVersion, SELECTION_FORMAT_VERSION);
      assert.deepEqual((await loadLatestSelection(cacheDir))?.items.map((item) => item.path), ['unlabeled/a.png']);
      assert.deepEqual(readSelectionItems(raw, saved.jsonPath).items.map((item) => item.relPath), ['unlabeled/a.png']);
    });

    it('from before the version field, and bare lists, are read', () => {
      assert.equal(readSelectionItems({ items: [{ path: 'a.png' }] }).items.length, 1);
      assert.equal(readSelectionItems([{ path: 'a.png' }]).items.length, 1);
    });

    it('in a newer layout are refused by Export Selection and passed over by the review panel', async () => {
      const newer = { ...selection, formatVersion: SELECTION_FORMAT_VERSION + 1 };
      assert.throws(() => readSelectionItems(newer, 'x.json'), (error: unknown) => error instanceof UnknownFormatVersionError && error.message.startsWith('x.json has format version'));
      await saveSelection(cacheDir, selection, new Date(0));
      await writeFile(join(cacheDir, SELECTIONS_FOLDER, 'random-newer.json'), JSON.stringify({ ...newer, items: [{ path: 'unlabeled/b.png', rank: 1, score: 1 }] }));
      assert.deepEqual((await loadLatestSelection(cacheDir))?.items.map((item) => item.path), ['unlabeled/a.png']);
    });
  });
});
