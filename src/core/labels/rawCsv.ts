// Splits CSV text into records and fields WITHOUT decoding them, so that a writer can change one
// field and put every other byte back exactly as it was: quoting style, spacing, line endings,
// blank lines and malformed rows that it does not understand.
// Record and field boundaries follow the same rules as the reader in dataset/csv.ts.

export interface RawCsvRecord {
  /** Each field as written, quotes included. */
  fields: string[];
  /** '\r\n', '\n', '\r', or '' for a last record without a line ending. */
  terminator: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export function splitRawCsv(text: string): { hasBom: boolean; records: RawCsvRecord[] } {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const n = text.length;
  let i = hasBom ? 1 : 0;
  const records: RawCsvRecord[] = [];
  while (i < n) {
    const fields: string[] = [];
    for (;;) {
      const start = i;
      if (text.charCodeAt(i) === QUOTE) i = endOfQuoted(text, i);
      // Unquoted text, or stray text after a closing quote, runs to the next delimiter.
      while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
      fields.push(text.slice(start, i));
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    let terminator = '';
    if (text.charCodeAt(i) === CR) terminator = text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
    else if (text.charCodeAt(i) === LF) terminator = '\n';
    i += terminator.length;
    records.push({ fields, terminator });
  }
  return { hasBom, records };
}

/** Index just after the closing quote of the quoted field opening at `start` (or the end of text). */
function endOfQuoted(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) return text.length;
    if (text.charCodeAt(close + 1) === QUOTE) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === LF || c === CR;
}

/** Encodes a field value; `quote` forces quotes to match a file that quotes every field. */
export function encodeCsvField(value: string, quote: boolean): string {
  return quote || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function joinRawCsv(hasBom: boolean, records: readonly RawCsvRecord[]): string {
  let text = hasBom ? '\uFEFF' : '';
  for (const record of records) text += record.fields.join(',') + record.terminator;
  return text;
}
