// Accept sure suggestions up to the write, as the editor's command, the review panel and
// `curator label --accept-suggestions` all ask it: the changes at a threshold, the counts beside
// them, and images labelled, moved or deleted since the suggestions were made left out.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCEPT_THRESHOLDS, suggestionsToAccept, type SuggestionsToAcceptParams } from '../../../src/core/review/suggestionsToAccept';
import { RESULT_FORMAT_VERSION } from '../../../src/core/results/suggestionFiles';
import { UncalibratedSuggestionsError } from '../../../src/core/suggest/acceptSuggestions';
import { tempDir } from '../../support/paths';

async function touch(root: string, relPath: string): Promise<void> {
  await mkdir(join(root, relPath, '..'), { recursive: true });
  await writeFile(join(root, relPath), relPath);
}

interface Item {
  path: string;
  label: string | null;
  p: number;
  top: string;
  unknownClass?: boolean;
}

async function saveSuggestions(cacheDir: string, items: Item[], options: { calibrated?: boolean; newClassShare?: number } = {}): Promise<void> {
  await mkdir(join(cacheDir, 'suggestions'), { recursive: true });
  const file = {
    formatVersion: RESULT_FORMAT_VERSION,
    method: 'pll',
    ...(options.calibrated === false ? {} : { openSet: { newClassShare: options.newClassShare ?? 0.05 } }),
    items: items.map((item) => ({
      path: item.path,
      label: item.label,
      suggestions: [{ label: item.top, p: item.p }, { label: 'other', p: 1 - item.p }],
      ...(item.unknownClass ? { unknownClass: true } : {}),
    })),
  };
  await writeFile(join(cacheDir, 'suggestions', 'pll.json'), JSON.stringify(file));
}

describe('suggestionsToAccept', () => {
  let root: string;
  let params: SuggestionsToAcceptParams;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('suggestions-to-accept'));
    params = { root, cacheDir: join(root, '.curator'), unlabeledFolderName: 'unlabeled' };
    for (const file of ['cat/a.png', 'unlabeled/u1.png', 'unlabeled/u2.png', 'unlabeled/u3.png', 'unlabeled/u4.png', 'unlabeled/new.png']) await touch(root, file);
  });
  afterEach(() => cleanup());

  const items: Item[] = [
    { path: 'cat/a.png', label: 'cat', p: 0.99, top: 'cat' },
    { path: 'unlabeled/u1.png', label: null, p: 0.97, top: 'dog' },
    { path: 'unlabeled/u2.png', label: null, p: 0.92, top: 'cat' },
    { path: 'unlabeled/u3.png', label: null, p: 0.6, top: 'dog' },
    { path: 'unlabeled/u4.png', label: null, p: 0.99, top: 'dog' },
    { path: 'unlabeled/new.png', label: null, p: 0.999, top: 'cat', unknownClass: true },
  ];

  it('is undefined without saved suggestions, and refuses uncalibrated ones', async () => {
    assert.equal(await suggestionsToAccept(params), undefined);
    await saveSuggestions(params.cacheDir, items, { calibrated: false });
    await assert.rejects(suggestionsToAccept(params), UncalibratedSuggestionsError);
  });

  it('takes the unlabelled images at the threshold, surest first, never a "new class?" one, with the counts beside them', async () => {
    await saveSuggestions(params.cacheDir, items);
    const toAccept = await suggestionsToAccept(params);
    assert.ok(toAccept);
    assert.equal(toAccept.method, 'pll');
    assert.equal(toAccept.candidates, 4);
    assert.equal(toAccept.unknownClass, 1);
    assert.deepEqual(toAccept.leftOut, []);
    assert.equal(toAccept.fewSureHint, '');
    const at = toAccept.at(0.9);
    assert.deepEqual(at.changes, [
      { relPath: 'unlabeled/u4.png', label: 'dog' },
      { relPath: 'unlabeled/u1.png', label: 'dog' },
      { relPath: 'unlabeled/u2.png', label: 'cat' },
    ]);
    assert.equal(at.minProbability, 0.9);
    assert.equal(at.belowThreshold, 1);
    assert.equal(at.unknownClass, 1);
    assert.deepEqual(at.byClass, [
      { label: 'dog', count: 2 },
      { label: 'cat', count: 1 },
    ]);
    assert.deepEqual(
      toAccept.atEach().map((each) => [each.minProbability, each.changes.length]),
      ACCEPT_THRESHOLDS.map((threshold) => [threshold, items.filter((item) => item.label === null && !item.unknownClass && item.p >= threshold).length]),
    );
    assert.throws(() => toAccept.at(0), /The threshold must be in \(0, 1\] \(got 0\)/);
    assert.throws(() => toAccept.at(1.5), /The threshold must be in \(0, 1\]/);
  });

  it('leaves out images labelled, moved or deleted since, in a folder dataset', async () => {
    await saveSuggestions(params.cacheDir, items);
    // u1 was filed as a dog since (it moved), u4 was deleted.
    await touch(root, 'dog/u1.png');
    await rm(join(root, 'unlabeled', 'u1.png'));
    await rm(join(root, 'unlabeled', 'u4.png'));
    const toAccept = await suggestionsToAccept(params);
    assert.ok(toAccept);
    assert.equal(toAccept.candidates, 2);
    assert.equal(toAccept.leftOut.length, 2);
    const at = toAccept.at(0.95);
    assert.deepEqual(at.changes, []);
    assert.deepEqual(at.leftOut.map((refusal) => refusal.change.relPath).sort(), ['unlabeled/u1.png', 'unlabeled/u4.png']);
    assert.match(at.leftOut[0]!.reason, /is no longer there/);
    assert.deepEqual(toAccept.at(0.9).changes, [{ relPath: 'unlabeled/u2.png', label: 'cat' }]);
    assert.deepEqual(toAccept.at(0.9).byClass, [{ label: 'cat', count: 1 }]);
  });

  it('leaves out an image whose manifest row has a label now; it keeps that label', async () => {
    await saveSuggestions(params.cacheDir, items);
    await writeFile(join(root, 'labels.csv'), 'path,label\nunlabeled/u1.png,bird\nunlabeled/u2.png,\nunlabeled/u4.png,\ncat/a.png,cat\n');
    const toAccept = await suggestionsToAccept(params);
    assert.ok(toAccept);
    const at = toAccept.at(0.9);
    assert.deepEqual(at.changes.map((change) => change.relPath), ['unlabeled/u4.png', 'unlabeled/u2.png']);
    assert.equal(at.leftOut.length, 1);
    assert.match(at.leftOut[0]!.reason, /unlabeled\/u1\.png is labelled "bird" now; it keeps that label/);
  });

  it('says why few are sure when many images look like no labelled class', async () => {
    await saveSuggestions(params.cacheDir, items, { newClassShare: 0.5 });
    const toAccept = await suggestionsToAccept(params);
    assert.match(toAccept?.fewSureHint ?? '', /About 50% of the unlabelled images look like none of the labelled classes/);
  });
});
