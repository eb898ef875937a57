import * as assert from 'node:assert/strict';
import { parseCsv } from '../../../src/core/dataset/csv';

const fieldsOf = (text: string): string[][] => parseCsv(text).records.map((record) => record.fields);

describe('dataset/csv', () => {
  it('splits plain records and ignores a trailing line break', () => {
    assert.deepEqual(fieldsOf('a,b\nc,d\n'), [['a', 'b'], ['c', 'd']]);
    assert.deepEqual(fieldsOf('a,b\nc,'), [['a', 'b'], ['c', '']]);
  });

  it('handles quotes, doubled quotes, delimiters and line breaks inside quotes', () => {
    const text = 'path,label\n"a, b.png","say ""hi"""\n"multi\nline.png",x\nlast,y\n';
    const { records } = parseCsv(text);
    assert.deepEqual(
      records.map((record) => record.fields),
      [['path', 'label'], ['a, b.png', 'say "hi"'], ['multi\nline.png', 'x'], ['last', 'y']],
    );
    assert.deepEqual(records.map((record) => record.line), [1, 2, 3, 5]);
    assert.ok(records.every((record) => record.error === undefined));
  });

  it('strips a UTF-8 BOM, accepts CRLF and skips blank lines', () => {
    const document = parseCsv('\uFEFFpath,label\r\n\r\na.png,cat\r\n   \r\nb.png,dog\r\n');
    assert.equal(document.hasBom, true);
    assert.equal(document.lineEnding, '\r\n');
    assert.deepEqual(document.records.map((record) => [record.line, ...record.fields]), [
      [1, 'path', 'label'],
      [3, 'a.png', 'cat'],
      [5, 'b.png', 'dog'],
    ]);
  });

  it('marks broken quoting instead of throwing', () => {
    const { records } = parseCsv('a"b,c\n"x"y,z\nok,1\n"never closed,2\n');
    assert.match(records[0]!.error ?? '', /quote inside an unquoted field/);
    assert.match(records[1]!.error ?? '', /after the closing quote/);
    assert.deepEqual(records[1]!.fields, ['x', 'z']);
    assert.equal(records[2]!.error, undefined);
    assert.match(records[3]!.error ?? '', /never closed/);
    assert.equal(records[3]!.line, 4);
  });
});
