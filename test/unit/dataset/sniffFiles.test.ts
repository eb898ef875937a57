// The sniffing step reads files synchronously while that is fast and switches to overlapping
// asynchronous reads when storage is slow; both ways must inspect every file alike.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Inspection } from '../../../src/core/dataset/inspectImage';
import { sniffFiles, type SniffCandidate } from '../../../src/core/dataset/sniffFiles';
import type { SyncRunsStrategy } from '../../../src/core/util/syncRuns';
import { makeTempDir, put, removeTempDir } from './fixtures';

describe('dataset/sniffFiles', () => {
  let dir: string;
  let candidates: SniffCandidate[];
  before(async () => {
    dir = await makeTempDir();
    const files: Array<[string, Parameters<typeof put>[2]]> = [
      ['a.png', 'png'],
      ['b.jpg', 'jpeg'],
      ['empty.jpg', Buffer.alloc(0)],
      ['text.png', { text: 'not an image' }],
      ['misnamed.jpg', 'png'],
      ['c.webp', 'webp'],
      ['d.gif', 'gif'],
    ];
    for (const [name, content] of files) await put(dir, name, content);
    const claimedOf = (name: string) => (name.endsWith('.png') ? 'png' : name.endsWith('.webp') ? 'webp' : name.endsWith('.gif') ? 'gif' : 'jpeg');
    candidates = files.map(([name]) => ({ file: { relPath: name, absPath: join(dir, name), name }, claimed: claimedOf(name) }));
    candidates.push({ file: { relPath: 'gone.png', absPath: join(dir, 'gone.png'), name: 'gone.png' }, claimed: 'png' });
  });
  after(() => removeTempDir(dir));

  const inspectAll = async (strategy: SyncRunsStrategy) => {
    const seen = new Map<string, Inspection>();
    await sniffFiles(candidates, undefined, (candidate, inspection) => seen.set(candidate.file.relPath, inspection));
    const viaStrategy = new Map<string, Inspection>();
    await sniffFiles(candidates, undefined, (candidate, inspection) => viaStrategy.set(candidate.file.relPath, inspection), strategy);
    return { seen, viaStrategy };
  };

  const summary = (inspections: Map<string, Inspection>) =>
    [...inspections]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([relPath, { image, problem }]) => [relPath, image?.format ?? null, image?.size ?? null, problem?.kind ?? null]);

  it('gives the same inspections when it switches to asynchronous reads after a few files', async () => {
    // Any count of blocking waits (even none) passes for slow storage here, so after 3 files the rest go asynchronously.
    const { seen, viaStrategy } = await inspectAll({ judgeAfterItems: 3, blockingWaitsPerItem: -1 });
    assert.equal(viaStrategy.size, candidates.length);
    assert.deepEqual(summary(viaStrategy), summary(seen));
    assert.deepEqual(
      summary(seen).map(([relPath, format, , kind]) => [relPath, format, kind]),
      [
        ['a.png', 'png', null],
        ['b.jpg', 'jpeg', null],
        ['c.webp', 'webp', null],
        ['d.gif', 'gif', null],
        ['empty.jpg', null, 'empty-file'],
        ['gone.png', null, 'unreadable'],
        ['misnamed.jpg', 'png', 'format-mismatch'],
        ['text.png', null, 'not-an-image'],
      ],
    );
  });

  it('stops with an AbortError when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(sniffFiles(candidates, controller.signal, () => undefined), (error: Error) => error.name === 'AbortError' || /cancel/i.test(error.message));
  });
});
