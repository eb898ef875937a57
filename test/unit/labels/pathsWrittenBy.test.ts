import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathsWrittenBy } from '../../../src/core/labels/pathsWrittenBy';

describe('pathsWrittenBy', () => {
  const root = join('/', 'data', 'root');

  it('names both ends of each folder move and both folders', () => {
    const paths = pathsWrittenBy(root, {
      mode: 'folder',
      applied: [
        { oldRelPath: join('unlabeled', 'a.png'), newRelPath: join('cat', 'a.png'), oldLabel: null, newLabel: 'cat' },
        { oldRelPath: join('dog', 'b.png'), newRelPath: join('cat', 'b.png'), oldLabel: 'dog', newLabel: 'cat' },
      ],
      unchanged: [],
      refused: [],
    });
    assert.deepEqual(paths, [
      join(root, 'unlabeled', 'a.png'),
      join(root, 'cat', 'a.png'),
      join(root, 'unlabeled'),
      join(root, 'cat'),
      join(root, 'dog', 'b.png'),
      join(root, 'cat', 'b.png'),
      join(root, 'dog'),
      join(root, 'cat'),
    ]);
  });

  it('names nothing for a folder write that moved nothing', () => {
    assert.deepEqual(pathsWrittenBy(root, { mode: 'folder', applied: [], unchanged: [{ relPath: 'cat/a.png', label: 'cat' }], refused: [] }), []);
  });

  it('names both manifest files for a manifest write, whichever rows it changed', () => {
    const paths = pathsWrittenBy(root, {
      mode: 'manifest',
      applied: [{ oldRelPath: 'img/a.png', newRelPath: 'img/a.png', oldLabel: null, newLabel: 'cat' }],
      unchanged: [],
      refused: [],
    });
    assert.deepEqual(paths, [join(root, 'labels.csv'), join(root, 'labels.jsonl')]);
  });
});
