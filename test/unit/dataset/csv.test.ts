import * as assert from 'node:assert/strict';
import { csvField, parseCsv, tokenizeCsv } from '../../../src/core/dataset/csv';
import { joinRawCsv, splitRawCsv } from '../../../src/core/labels/rawCsv';

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

  it('counts lone CR and CRLF inside quotes as line breaks', () => {
    const { records } = parseCsv('a\r"b\r\nc",d\re,f');
    assert.deepEqual(records.map((record) => [record.line, ...record.fields]), [
      [1, 'a'],
      [2, 'b\r\nc', 'd'],
      [4, 'e', 'f'],
    ]);
  });
});

describe('dataset/csv tokenizer: fields as written', () => {
  const samples = [
    '',
    'a,b\nc,d\n',
    'a,b\r\nc,',
    '\uFEFF"id","path"\r\n"1","say ""hi"""\r\n\r\n  \r\n"2","multi\r\nline"',
    'a"b,c\n"x"y,z\nok,1\n"never closed,2\n',
    'lone\rcr\r\rend\r',
    ',,\n,\n',
  ];

  it('gives back every byte when the records are joined again', () => {
    for (const text of samples) {
      const { hasBom, records } = splitRawCsv(text);
      assert.equal(joinRawCsv(hasBom, records), text, JSON.stringify(text));
    }
  });

  it('cuts the same records and fields for the reader and the writer', () => {
    for (const text of samples) {
      const raw = splitRawCsv(text).records.filter((record) => !(record.fields.length === 1 && record.fields[0]!.trim() === ''));
      const parsed = parseCsv(text).records;
      assert.deepEqual(raw.map((record) => record.fields.length), parsed.map((record) => record.fields.length), JSON.stringify(text));
    }
  });

  it('keeps quotes, stray text and blank lines in the raw fields, with each record\'s own line ending', () => {
    const { records } = tokenizeCsv('"x"y,"a""b"\r\n\n  \rlast');
    assert.deepEqual(records.map((record) => [record.raw, record.fields, record.terminator]), [
      [['"x"y', '"a""b"'], ['x', 'a"b'], '\r\n'],
      [[''], [''], '\n'],
      [['  '], ['  '], '\r'],
      [['last'], ['last'], ''],
    ]);
  });

  it('encodes fields the way it reads them', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('plain', true), '"plain"');
    assert.equal(csvField('a,"b"\n'), '"a,""b""\n"');
    for (const value of ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '']) {
      assert.deepEqual(parseCsv(`${csvField(value, true)},${csvField(value)}\n`).records[0]!.fields, [value, value]);
    }
  });
});
