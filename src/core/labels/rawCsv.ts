// CSV records and fields WITHOUT decoding them, so that a writer can change one field and put
// every other byte back exactly as it was: quoting style, spacing, line endings, blank lines and
// malformed rows that it does not understand. The cutting is dataset/csv.ts's tokenizer, the same
// one the reader uses.

import { tokenizeCsv } from '../dataset/csv';

export interface RawCsvRecord {
  /** Each field as written, quotes included. */
  fields: string[];
  /** '\r\n', '\n', '\r', or '' for a last record without a line ending. */
  terminator: string;
}

export function splitRawCsv(text: string): { hasBom: boolean; records: RawCsvRecord[] } {
  const { hasBom, records } = tokenizeCsv(text);
  return { hasBom, records: records.map((record) => ({ fields: record.raw, terminator: record.terminator })) };
}

export function joinRawCsv(hasBom: boolean, records: readonly RawCsvRecord[]): string {
  let text = hasBom ? '\uFEFF' : '';
  for (const record of records) text += record.fields.join(',') + record.terminator;
  return text;
}
