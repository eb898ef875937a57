// labels.csv as an editable document. Only the label field of the rows being changed is rewritten;
// the header, column order, other columns, rows it cannot read, BOM, line endings and the quoting
// of every untouched field stay byte for byte as they were.
import { csvField, isBlankCsvRecord, parseCsv } from '../dataset/csv';
import { normaliseManifestPath } from '../dataset/manifestPath';
import { readLabel, rowKey, type ManifestDocument } from './manifestDocument';
import { joinRawCsv, splitRawCsv, type RawCsvRecord } from './rawCsv';

interface CsvRow {
  record: RawCsvRecord;
  relPath: string;
  label: string | null;
}

export class CsvManifestDocument implements ManifestDocument {
  readonly kind = 'csv';
  readonly unusableReason: string | undefined;
  private readonly hasBom: boolean;
  private readonly records: RawCsvRecord[];
  private readonly rows = new Map<string, CsvRow>();
  private readonly pathColumn: number;
  private readonly labelColumn: number;
  private readonly columnCount: number;
  private readonly lineEnding: string;
  /** Whether the file quotes every field, so that appended rows look like the rest. */
  private readonly quotesEverything: boolean;

  constructor(text: string) {
    const raw = splitRawCsv(text);
    this.hasBom = raw.hasBom;
    this.records = raw.records;
    this.lineEnding = raw.records.find((record) => record.terminator !== '')?.terminator ?? '\n';

    const headerIndex = this.records.findIndex((record) => !isBlankCsvRecord(record.fields));
    if (headerIndex < 0) {
      // An empty manifest: give it the standard header so rows can be added.
      this.records.push({ fields: ['path', 'label'], terminator: this.lineEnding });
      this.pathColumn = 0;
      this.labelColumn = 1;
      this.columnCount = 2;
      this.quotesEverything = false;
      return;
    }
    const headerRecord = this.records[headerIndex]!;
    const header = decode(headerRecord);
    this.columnCount = header?.length ?? 0;
    this.pathColumn = header ? findColumn(header, 'path') : -1;
    this.labelColumn = header ? findColumn(header, 'label') : -1;
    this.quotesEverything = headerRecord.fields.every((field) => field.startsWith('"'));
    if (this.pathColumn < 0 || this.labelColumn < 0) {
      this.unusableReason = 'its header has no "path" and "label" columns (expected a header like "path,label"), so labels cannot be written to it';
      return;
    }

    for (const record of this.records.slice(headerIndex + 1)) {
      const fields = decode(record);
      // Rows the scanner skips (malformed, wrong field count) are kept but never edited.
      if (!fields || fields.length !== this.columnCount) continue;
      const path = normaliseManifestPath(fields[this.pathColumn]!);
      if (!path.ok) continue;
      const key = rowKey(path.relPath);
      if (!this.rows.has(key)) this.rows.set(key, { record, relPath: path.relPath, label: readLabel(fields[this.labelColumn]!) });
    }
  }

  labelOf(relPath: string): string | null | undefined {
    return this.rows.get(rowKey(relPath))?.label;
  }

  entries(): Array<[string, string | null]> {
    return [...this.rows.values()].map((row) => [row.relPath, row.label]);
  }

  setLabel(relPath: string, label: string | null): void {
    if (this.unusableReason) throw new Error(`labels.csv: ${this.unusableReason}.`);
    const value = label ?? '';
    const existing = this.rows.get(rowKey(relPath));
    if (existing) {
      // Quoted only where needed, or everywhere in a file that quotes every field: remembering
      // each field's own quotes would make a label that once needed them keep them forever.
      existing.record.fields[this.labelColumn] = csvField(value, this.quotesEverything);
      existing.label = label;
      return;
    }
    const values = new Array<string>(this.columnCount).fill('');
    values[this.pathColumn] = relPath;
    values[this.labelColumn] = value;
    const record: RawCsvRecord = {
      fields: values.map((field) => csvField(field, this.quotesEverything)),
      terminator: this.appendAfterLast(),
    };
    this.records.push(record);
    this.rows.set(rowKey(relPath), { record, relPath, label });
  }

  toText(): string {
    return joinRawCsv(this.hasBom, this.records);
  }

  /** Ends the current last line so a row can follow; the new row ends the way the file did. */
  private appendAfterLast(): string {
    const last = this.records[this.records.length - 1];
    if (!last || last.terminator !== '') return this.lineEnding;
    last.terminator = this.lineEnding;
    return '';
  }
}

/** A record's field values, or undefined when it breaks the quoting rules. */
function decode(record: RawCsvRecord): string[] | undefined {
  const parsed = parseCsv(record.fields.join(',')).records[0];
  if (!parsed || parsed.error || parsed.fields.length !== record.fields.length) return undefined;
  return parsed.fields;
}

function findColumn(header: string[], name: string): number {
  return header.findIndex((column) => column.trim().toLowerCase() === name);
}
