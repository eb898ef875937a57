// A command's scan handed to the job it runs next: only to a job naming it, once, for the same root
// and unlabelled-folder name, and not after a minute.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanHandoff } from '../../../src/core/dataset/scanHandoff';
import type { DatasetScan } from '../../../src/core/dataset/types';
import { EncoderCache } from '../../../src/core/embed/encoderCache';
import { embedDataset } from '../../../src/core/jobs/embedDataset';
import { scanWorkspace } from '../../../src/core/jobs/scanWorkspace';
import { fixtureFacts, makeFixtureDataset } from '../../fixtures/makeDataset';
import { bundledModelDir, tempDir } from '../../support/paths';

function fakeScan(root: string): DatasetScan {
  return { root, images: [], classes: [], counts: { images: 0, labelled: 0, unlabelled: 0, ignoredFiles: 0 }, manifest: null, problems: [] };
}

describe('ScanHandoff', () => {
  it('hands a scan over once, to the id, root and unlabelled-folder name it was kept for', () => {
    const handoff = new ScanHandoff();
    const scan = fakeScan('/data/a');
    const id = handoff.keep(scan, 'unlabeled');
    assert.equal(handoff.take(undefined, '/data/a', 'unlabeled'), undefined, 'no id: scan again');
    assert.equal(handoff.take('another-id', '/data/a', 'unlabeled'), undefined);
    assert.equal(handoff.take(id, '/data/b', 'unlabeled'), undefined);
    assert.equal(handoff.take(id, '/data/a', 'unlabelled'), undefined);
    assert.equal(handoff.take(id, '/data/a/', 'unlabeled'), scan, 'the same root, however written');
    assert.equal(handoff.take(id, '/data/a', 'unlabeled'), undefined, 'only once');
  });

  it('keeps only the latest scan of a root, and nothing older than a minute', () => {
    let now = 0;
    const handoff = new ScanHandoff(() => now);
    const first = handoff.keep(fakeScan('/data/a'), 'unlabeled');
    const second = handoff.keep(fakeScan('/data/a'), 'unlabeled');
    assert.equal(handoff.take(first, '/data/a', 'unlabeled'), undefined, 'replaced by the later scan');
    const other = handoff.keep(fakeScan('/data/b'), 'unlabeled');
    now = 61_000;
    assert.equal(handoff.take(second, '/data/a', 'unlabeled'), undefined, 'too old');
    assert.equal(handoff.take(other, '/data/b', 'unlabeled'), undefined, 'too old');
  });
});

describe('embedDataset with a handed-over scan', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  const encoders = new EncoderCache();
  before(async () => {
    ({ dir, cleanup } = await tempDir('scan-handoff'));
    await makeFixtureDataset(dir);
  });
  after(async () => {
    await encoders.dispose();
    await cleanup();
  });

  it('embeds the images of the scan it names, without walking the root again', async () => {
    const scans = new ScanHandoff();
    const [summary] = await scanWorkspace({ folders: [join(dir, fixtureFacts.rootName)], explicitRoots: [], unlabeledFolderName: 'unlabeled' }, undefined, undefined, scans);
    assert.ok(summary.scanId);
    // A file added after the scan: a run that takes the scan does not see it, a fresh run does.
    await writeFile(join(summary.root, 'unlabeled', 'added later.png'), await readFile(join(summary.root, 'unlabeled', 'u_000.png')));
    const params = { root: summary.root, unlabeledFolderName: 'unlabeled', cacheDir: join(dir, 'cache'), model: { setting: 'default', bundledDir: bundledModelDir, storageDir: join(dir, 'models') }, executionProvider: 'cpu' as const, batchSize: 16 };
    const handed = await embedDataset({ ...params, scanId: summary.scanId }, { encoders, scans });
    assert.equal(handed.images, summary.counts.images);
    const fresh = await embedDataset({ ...params, scanId: summary.scanId }, { encoders, scans });
    assert.equal(fresh.images, summary.counts.images + 1, 'the id was used up: this run scanned and found the added file');
  });
});
