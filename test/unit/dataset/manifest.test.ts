import * as assert from 'node:assert/strict';
import { parseCsvManifest, parseJsonlManifest } from '../../../src/core/dataset/manifest';
import { normaliseManifestPath } from '../../../src/core/dataset/manifestPath';

const kindsByLine = (problems: { line: number; kind: string }[]): [number, string][] =>
  problems.map((problem) => [problem.line, problem.kind]);

describe('dataset/manifestPath', () => {
  it('normalises slashes, dots and repeated separators', () => {
    assert.deepEqual(normaliseManifestPath('cat\\a.png'), { ok: true, relPath: 'cat/a.png' });
    assert.deepEqual(normaliseManifestPath('./cat//sub/./a.png'), { ok: true, relPath: 'cat/sub/a.png' });
    assert.deepEqual(normaliseManifestPath('cat/x/../a.png'), { ok: true, relPath: 'cat/a.png' });
    assert.deepEqual(normaliseManifestPath(' spaced name.png'), { ok: true, relPath: ' spaced name.png' });
  });

  it('refuses paths that leave the root', () => {
    for (const path of ['../a.png', 'cat/../../a.png', '/etc/a.png', '\\\\server\\share\\a.png', 'C:\\data\\a.png', 'c:a.png']) {
      const result = normaliseManifestPath(path);
      assert.equal(result.ok, false, path);
      assert.equal(!result.ok && result.reason, 'outside-root', path);
    }
    assert.equal(normaliseManifestPath('').ok, false);
    assert.equal(normaliseManifestPath('./').ok, false);
  });
});

describe('dataset/manifest CSV', () => {
  it('reads path and label columns, keeps extra columns, treats an empty label as unlabelled', () => {
    const manifest = parseCsvManifest('\uFEFFid,Path,label,notes\r\n1,cat/a.png,cat,"first, best"\r\n2,dog\\b.png,,\r\n3,c.png,  bird ,x\r\n');
    assert.deepEqual(manifest.header, ['id', 'Path', 'label', 'notes']);
    assert.equal(manifest.pathColumn, 1);
    assert.equal(manifest.labelColumn, 2);
    assert.equal(manifest.records[0]!.fields[3], 'first, best');
    assert.deepEqual(manifest.rows, [
      { line: 2, relPath: 'cat/a.png', label: 'cat' },
      { line: 3, relPath: 'dog/b.png', label: null },
      { line: 4, relPath: 'c.png', label: 'bird' },
    ]);
    assert.deepEqual(manifest.problems, []);
    assert.equal(manifest.hasBom, true);
    assert.equal(manifest.lineEnding, '\r\n');
  });

  it('reports every malformed case with its line and keeps the good rows', () => {
    const text = [
      'path,label', // 1
      'ok/1.png,cat', // 2
      'too,many,fields', // 3
      'too-few', // 4
      'bad"quote.png,cat', // 5
      '../escape.png,cat', // 6
      '/abs/a.png,cat', // 7
      'D:\\a.png,cat', // 8
      'ok/1.png,dog', // 9
      'ok\\1.png,dog', // 10
      ',cat', // 11
      '', // 12
      'ok/2.png,dog', // 13
      '"unterminated.png,cat', // 14
      'ok/3.png,cat', // 15 (swallowed by the open quote)
    ].join('\n');
    const manifest = parseCsvManifest(text);
    assert.deepEqual(manifest.rows.map((row) => [row.line, row.relPath, row.label]), [
      [2, 'ok/1.png', 'cat'],
      [13, 'ok/2.png', 'dog'],
    ]);
    assert.deepEqual(kindsByLine(manifest.problems), [
      [3, 'manifest-malformed-row'],
      [4, 'manifest-malformed-row'],
      [5, 'manifest-malformed-row'],
      [6, 'manifest-path-outside-root'],
      [7, 'manifest-path-outside-root'],
      [8, 'manifest-path-outside-root'],
      [9, 'manifest-duplicate-path'],
      [10, 'manifest-duplicate-path'],
      [11, 'manifest-malformed-row'],
      [14, 'manifest-malformed-row'],
    ]);
    assert.match(manifest.problems.find((problem) => problem.line === 9)!.message, /already listed on line 2/);
    assert.equal(manifest.problems.find((problem) => problem.line === 9)!.severity, 'warning');
    assert.equal(manifest.problems.find((problem) => problem.line === 3)!.severity, 'error');
  });

  it('reports missing columns once and reads no rows', () => {
    for (const text of ['file,label\na.png,cat\n', 'path,class\na.png,cat\n', '']) {
      const manifest = parseCsvManifest(text);
      assert.deepEqual(manifest.rows, [], text);
      assert.deepEqual(kindsByLine(manifest.problems), [[1, 'manifest-missing-column']], text);
    }
    assert.match(parseCsvManifest('file,class\n').problems[0]!.message, /no "path" or "label" column/);
  });
});

describe('dataset/manifest JSONL', () => {
  it('reads rows, numeric and null labels, and reports bad lines', () => {
    const text = [
      '\uFEFF{"path": "cat/a.png", "label": "cat", "score": 0.9}', // 1
      '{"path": "b.png", "label": null}', // 2
      '', // 3
      '{"path": "digits\\\\7.png", "label": 7}', // 4
      '{"path": "c.png", "label": ""}', // 5
      'not json', // 6
      '["cat/a.png", "cat"]', // 7
      '{"label": "cat"}', // 8
      '{"path": "d.png"}', // 9
      '{"path": "e.png", "label": {"name": "cat"}}', // 10
      '{"path": "../f.png", "label": "cat"}', // 11
      '{"path": "cat/a.png", "label": "dog"}', // 12
    ].join('\r\n');
    const manifest = parseJsonlManifest(text);
    assert.deepEqual(manifest.rows.map((row) => [row.line, row.relPath, row.label]), [
      [1, 'cat/a.png', 'cat'],
      [2, 'b.png', null],
      [4, 'digits/7.png', '7'],
      [5, 'c.png', null],
    ]);
    assert.deepEqual(kindsByLine(manifest.problems), [
      [6, 'manifest-malformed-row'],
      [7, 'manifest-malformed-row'],
      [8, 'manifest-malformed-row'],
      [9, 'manifest-malformed-row'],
      [10, 'manifest-malformed-row'],
      [11, 'manifest-path-outside-root'],
      [12, 'manifest-duplicate-path'],
    ]);
    assert.equal(manifest.records.length, 11);
    assert.deepEqual(manifest.records[0]!.value, { path: 'cat/a.png', label: 'cat', score: 0.9 });
  });
});
