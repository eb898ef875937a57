// A small RFC 4180 reader. It keeps every record with the line it started on, and marks broken
// records instead of throwing, because one bad row in a labels file must not hide the others.

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

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/**
 * Splits CSV text into records. Accepts LF, CRLF and lone CR line endings, quoted fields with
 * doubled quotes and embedded line breaks, and skips blank (or whitespace-only) lines.
 */
export function parseCsv(text: string): CsvDocument {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  let i = hasBom ? 1 : 0;
  const n = text.length;
  let line = 1;
  const records: CsvRecord[] = [];
  const firstBreak = text.search(/\r\n|\n/);
  const lineEnding = firstBreak >= 0 && text[firstBreak] === '\r' ? '\r\n' : '\n';

  /** Consumes a line ending at i, if there is one, and says whether it did. */
  const consumeLineEnding = (): boolean => {
    const c = text.charCodeAt(i);
    if (c === CR) {
      i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    } else if (c === LF) {
      i += 1;
    } else {
      return false;
    }
    line++;
    return true;
  };

  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    let sawQuotes = false;
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        sawQuotes = true;
        ({ field, nextIndex: i } = readQuotedField(text, i, record, () => line++));
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          end++;
        }
        field = text.slice(i, end);
        if (field.includes('"')) record.error ??= 'a quote inside an unquoted field (quote the whole field and double inner quotes)';
        i = end;
      }
      record.fields.push(field);
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      if (!consumeLineEnding() && i < n) {
        // Only reachable after a quoted field followed by stray text: skip to the next delimiter.
        record.error ??= 'text after the closing quote of a field';
        while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        if (text.charCodeAt(i) === COMMA) {
          i++;
          continue;
        }
        consumeLineEnding();
      }
      break;
    }
    const blank = !sawQuotes && record.fields.length === 1 && record.fields[0]!.trim() === '';
    if (!blank) records.push(record);
  }
  return { records, hasBom, lineEnding };
}

/** Reads a quoted field starting at the opening quote; counts line breaks inside it through onLineBreak. */
function readQuotedField(
  text: string,
  start: number,
  record: CsvRecord,
  onLineBreak: () => void,
): { field: string; nextIndex: number } {
  let field = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    const chunk = text.slice(i, close < 0 ? text.length : close);
    field += chunk;
    countLineBreaks(chunk, onLineBreak);
    if (close < 0) {
      record.error ??= 'a quoted field that is never closed';
      return { field, nextIndex: text.length };
    }
    if (text.charCodeAt(close + 1) === QUOTE) {
      field += '"';
      i = close + 2;
      continue;
    }
    return { field, nextIndex: close + 1 };
  }
}

function countLineBreaks(chunk: string, onLineBreak: () => void): void {
  for (let j = 0; j < chunk.length; j++) {
    const c = chunk.charCodeAt(j);
    if (c === LF || (c === CR && chunk.charCodeAt(j + 1) !== LF)) onLineBreak();
  }
}
