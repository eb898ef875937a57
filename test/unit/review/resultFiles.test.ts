// The suggestion jobs' result files as the review panel reads them: the newest soft labels win,
// a file from a newer layout or a torn one counts as absent, malformed entries are skipped.

import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_FORMAT_VERSION, writeResultFile } from '../../../src/core/results/suggestionFiles';
import { loadLatestResults } from '../../../src/core/review/resultFiles';
import { tempDir } from '../../support/paths';

describe('loadLatestResults', () => {
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  const folder = (): string => join(cacheDir, 'suggestions');
  beforeEach(async () => {
    ({ dir: cacheDir, cleanup } = await tempDir('results'));
  });
  afterEach(() => cleanup());

  it('finds nothing in a cache no job wrote to', async () => {
    assert.deepEqual(await loadLatestResults(cacheDir), { suggestions: null, issues: null, clusters: null, duplicates: null, imageProblems: null });
  });

  it('reads what the jobs write (versioned), taking the newest soft labels', async () => {
    const soft = (method: string, label: string) => ({ root: '/r', resultFile: '', method, items: [{ path: 'unlabeled/a.png', label: null, suggestions: [{ label, p: 0.75 }], issue: false }] });
    await writeResultFile(join(folder(), 'pll.json'), soft('pll', 'cat'));
    await writeResultFile(join(folder(), 'knn.json'), soft('knn', 'dog'));
    await utimes(join(folder(), 'pll.json'), new Date(1000_000), new Date(1000_000));
    await writeResultFile(join(folder(), 'issues.json'), {
      root: '/r',
      resultFile: '',
      method: 'pll',
      items: [{ path: 'cat/x.png', label: 'cat', suggestions: [{ label: 'dog', p: 0.8 }], issue: true, pGiven: 0.1, predicted: 'dog', pPredicted: 0.8 }],
    });
    await writeResultFile(join(folder(), 'clusters.json'), { root: '/r', resultFile: '', round: 3, clusters: [{ id: 4, size: 1, consistency: 0.8, cohesion: 0.3, stability: null, members: [{ path: 'unlabeled/a.png', membership: 0.9 }] }] });
    await writeResultFile(join(folder(), 'duplicates.json'), {
      root: '/r',
      resultFile: '',
      threshold: 0.01,
      groups: [{ kind: 'near', maxDistance: 0.002, members: [[{ path: 'a.png', label: null }, { path: 'b.png', label: null }], [{ path: 'c.png', label: 'cat' }]], conflictingLabels: false }],
    });

    const results = await loadLatestResults(cacheDir);
    assert.equal(results.suggestions?.method, 'knn', 'the newest file');
    assert.deepEqual(results.suggestions?.byPath.get('unlabeled/a.png'), { label: null, suggestions: [{ label: 'dog', p: 0.75 }] });
    assert.deepEqual(results.issues?.items.map((i) => [i.path, i.predicted, i.pGiven, i.pPredicted]), [['cat/x.png', 'dog', 0.1, 0.8]]);
    assert.equal(results.clusters?.round, 3);
    assert.deepEqual(results.clusters?.clusters[0].members, [{ path: 'unlabeled/a.png', membership: 0.9 }]);
    assert.deepEqual(results.duplicates?.groups[0].paths, ['a.png', 'b.png', 'c.png'], 'identical files of a near group are flattened');
  });

  it('ignores newer layouts and torn files, and skips malformed entries', async () => {
    await mkdir(folder(), { recursive: true });
    await writeFile(join(folder(), 'pll.json'), JSON.stringify({ formatVersion: RESULT_FORMAT_VERSION + 1, method: 'pll', items: [{ path: 'a.png', label: null, suggestions: [{ label: 'x', p: 1 }] }] }));
    await writeFile(join(folder(), 'issues.json'), '{"items": [');
    await writeFile(
      join(folder(), 'clusters.json'),
      JSON.stringify({ clusters: [{ id: 'one', members: [] }, { id: 2, members: [{ path: 'a.png', membership: 'high' }, { path: 7 }, null] }] }),
    );
    await writeFile(
      join(folder(), 'knn.json'),
      JSON.stringify({ items: [{ path: 'b.png', label: null, suggestions: [{ label: 'x', p: 1.5 }, { label: '', p: 0.2 }, { label: 'y', p: 0.3 }] }, { path: '', suggestions: [{ label: 'x', p: 1 }] }, 'junk'] }),
    );
    const results = await loadLatestResults(cacheDir);
    assert.equal(results.issues, null);
    assert.equal(results.suggestions?.file, 'knn.json', 'the newer-layout pll.json is passed over');
    assert.deepEqual([...results.suggestions!.byPath], [['b.png', { label: null, suggestions: [{ label: 'y', p: 0.3 }] }]]);
    assert.deepEqual(results.clusters?.clusters.map((c) => [c.id, c.members]), [[2, [{ path: 'a.png', membership: 0 }]]]);
  });
});
