// The project's one CSV tokenizer (RFC 4180: quoted fields with doubled quotes and embedded line
// breaks; LF, CRLF and lone CR line endings; a UTF-8 byte order mark). It reads each field both as
// written and decoded, so the reader here and the byte-preserving label writer (labels/rawCsv.ts)
// cut the same text into the same records and fields. Broken records are marked, not thrown,
// because one bad row in a labels file must not hide the others.

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
  /** Set when the record breaks the quoting rules; its fields are then a best effort. */
  error?: string;
}

export interface CsvDocument {
  records: CsvRecord[];
  /** Whether the text started with a UTF-8 byte order mark (which is not part of any field). */
  hasBom: boolean;
  /** The first line ending found, so a writer can keep the file's style. */
  lineEnding: '\n' | '\r\n';
}

/** One record as the tokenizer cut it: the records' text, joined, is the whole text after the BOM. */
export interface CsvTokenRecord extends CsvRecord {
  /** Each field exactly as written, quotes (and any stray text after them) included. */
  raw: string[];
  /** The line ending after the record; '' for a last record without one. */
  terminator: '\r\n' | '\n' | '\r' | '';
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Cuts CSV text into records, blank lines included, keeping every byte. */
export function tokenizeCsv(text: string): { hasBom: boolean; records: CsvTokenRecord[] } {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const n = text.length;
  let i = hasBom ? 1 : 0;
  let line = 1;
  const records: CsvTokenRecord[] = [];
  while (i < n) {
    const record: CsvTokenRecord = { line, fields: [], raw: [], terminator: '' };
    for (;;) {
      const start = i;
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        ({ value, end: i } = readQuotedField(text, i, record));
        if (i < n && !isDelimiter(text.charCodeAt(i))) {
          // Stray text after the closing quote runs to the next delimiter and is not part of the value.
          record.error ??= 'text after the closing quote of a field';
          while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
        }
      } else {
        while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
        value = text.slice(start, i);
        if (value.includes('"')) record.error ??= 'a quote inside an unquoted field (quote the whole field and double inner quotes)';
      }
      record.raw.push(text.slice(start, i));
      record.fields.push(value);
      line += countLineBreaks(text, start, i);
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === CR) record.terminator = text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    else if (text.charCodeAt(i) === LF) record.terminator = '\n';
    if (record.terminator !== '') line++;
    i += record.terminator.length;
    records.push(record);
  }
  return { hasBom, records };
}

/**
 * Splits CSV text into records with decoded fields, skipping blank (or whitespace-only) lines.
 */
export function parseCsv(text: string): CsvDocument {
  const { hasBom, records } = tokenizeCsv(text);
  const firstBreak = text.search(/\r\n|\n/);
  const lineEnding = firstBreak >= 0 && text[firstBreak] === '\r' ? '\r\n' : '\n';
  return {
    records: records.filter((record) => !isBlankCsvRecord(record.raw)).map(({ line, fields, error }) => (error === undefined ? { line, fields } : { line, fields, error })),
    hasBom,
    lineEnding,
  };
}

/** Whether a record, given as its fields as written, is a blank or whitespace-only line. */
export function isBlankCsvRecord(raw: readonly string[]): boolean {
  return raw.length === 1 && raw[0]!.trim() === '';
}

/**
 * A field as RFC 4180 writes it: wrapped in double quotes, inner quotes doubled, when it holds a
 * comma, a double quote or a line break, or always when `quoteAlways` (to match a file that quotes
 * every field).
 */
export function csvField(value: string, quoteAlways = false): string {
  return quoteAlways || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Reads the quoted field opening at `start`: its value and the index just after its closing quote. */
function readQuotedField(text: string, start: number, record: CsvRecord): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    value += text.slice(i, close < 0 ? text.length : close);
    if (close < 0) {
      record.error ??= 'a quoted field that is never closed';
      return { value, end: text.length };
    }
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += '"';
      i = close + 2;
      continue;
    }
    return { value, end: close + 1 };
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === LF || c === CR;
}

/** Line breaks (LF, CRLF, lone CR) in text[start, end): only a quoted field holds any. */
function countLineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === LF || (c === CR && text.charCodeAt(j + 1) !== LF)) count++;
  }
  return count;
}
