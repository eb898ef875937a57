// Parses labels.csv / labels.jsonl text into label rows plus problems. Nothing here touches the
// file system, and nothing is fatal: a bad row is reported with its line and skipped.
// The parsed header and raw records are kept so a label writer can rewrite the file without
// losing columns or fields it does not know about.
import { parseCsv, type CsvRecord } from './csv';
import { normaliseManifestPath } from './manifestPath';
import type { DatasetProblem } from './types';

export interface ManifestRow {
  /** 1-based line in the manifest. */
  line: number;
  /** Normalised path relative to the root, forward slashes. */
  relPath: string;
  /** Null when the manifest says the image is unlabelled (empty or null label). */
  label: string | null;
}

/** A problem found in a manifest's text; the file it belongs to is added by the caller. */
export type ManifestIssue = Omit<DatasetProblem, 'relPath' | 'line'> & { line: number };

interface ManifestContent {
  /** Usable rows, in file order, without duplicates. */
  rows: ManifestRow[];
  problems: ManifestIssue[];
}

export interface CsvManifest extends ManifestContent {
  kind: 'csv';
  /** Column names as written in the header. */
  header: string[];
  /** Index of the path and label columns in header, or -1 when missing. */
  pathColumn: number;
  labelColumn: number;
  /** Every record after the header, malformed ones included. */
  records: CsvRecord[];
  hasBom: boolean;
  lineEnding: '\n' | '\r\n';
}

export interface JsonlRecord {
  line: number;
  text: string;
  /** The parsed object, or undefined when the line is not a JSON object. */
  value?: Record<string, unknown>;
}

export interface JsonlManifest extends ManifestContent {
  kind: 'jsonl';
  /** Every non-blank line, malformed ones included. */
  records: JsonlRecord[];
}

export type ParsedManifest = CsvManifest | JsonlManifest;

/** Collects rows, refusing bad paths and later duplicates (the first row for a path wins). */
class RowCollector {
  readonly rows: ManifestRow[] = [];
  readonly problems: ManifestIssue[] = [];
  private readonly firstLineByPath = new Map<string, number>();

  add(line: number, rawPath: string, label: string | null): void {
    const path = normaliseManifestPath(rawPath);
    if (!path.ok) {
      const kind = path.reason === 'outside-root' ? 'manifest-path-outside-root' : 'manifest-malformed-row';
      this.problems.push({ line, kind, severity: 'error', message: `Line ${line}: ${path.message}.` });
      return;
    }
    // Keys are NFC so that a manifest typed on one OS matches file names stored as NFD on another.
    const key = path.relPath.normalize('NFC');
    const firstLine = this.firstLineByPath.get(key);
    if (firstLine !== undefined) {
      this.problems.push({
        line,
        kind: 'manifest-duplicate-path',
        severity: 'warning',
        message: `Line ${line}: "${path.relPath}" is already listed on line ${firstLine}; the first entry is used.`,
      });
      return;
    }
    this.firstLineByPath.set(key, line);
    this.rows.push({ line, relPath: path.relPath, label });
  }

  malformed(line: number, why: string): void {
    this.problems.push({ line, kind: 'manifest-malformed-row', severity: 'error', message: `Line ${line}: ${why}; the row is skipped.` });
  }
}

const labelOrNull = (label: string): string | null => (label.trim() === '' ? null : label.trim());

const findColumn = (header: string[], name: string): number =>
  header.findIndex((column) => column.trim().toLowerCase() === name);

export function parseCsvManifest(text: string): CsvManifest {
  const document = parseCsv(text);
  const [headerRecord, ...records] = document.records;
  const header = headerRecord?.fields ?? [];
  const pathColumn = findColumn(header, 'path');
  const labelColumn = findColumn(header, 'label');
  const collector = new RowCollector();
  const manifest: CsvManifest = {
    kind: 'csv',
    header,
    pathColumn,
    labelColumn,
    records,
    hasBom: document.hasBom,
    lineEnding: document.lineEnding,
    rows: collector.rows,
    problems: collector.problems,
  };

  const missing = [pathColumn < 0 ? 'path' : '', labelColumn < 0 ? 'label' : ''].filter(Boolean);
  if (missing.length > 0 || headerRecord?.error) {
    const why = headerRecord?.error
      ? `the header row is malformed (${headerRecord.error})`
      : `the header has no ${missing.map((name) => `"${name}"`).join(' or ')} column`;
    collector.problems.push({
      line: headerRecord?.line ?? 1,
      kind: 'manifest-missing-column',
      severity: 'error',
      message: `Line ${headerRecord?.line ?? 1}: ${why}; expected a header like "path,label". No labels are read from this file.`,
    });
    return manifest;
  }

  for (const record of records) {
    if (record.error) {
      collector.malformed(record.line, record.error);
    } else if (record.fields.length !== header.length) {
      collector.malformed(record.line, `${record.fields.length} fields where the header has ${header.length}`);
    } else {
      collector.add(record.line, record.fields[pathColumn]!, labelOrNull(record.fields[labelColumn]!));
    }
  }
  return manifest;
}

export function parseJsonlManifest(text: string): JsonlManifest {
  const collector = new RowCollector();
  const records: JsonlRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (lineText.trim() === '') return;
    const record: JsonlRecord = { line, text: lineText };
    records.push(record);
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      collector.malformed(line, 'not valid JSON');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      collector.malformed(line, 'not a JSON object');
      return;
    }
    const object = value as Record<string, unknown>;
    record.value = object;
    const { path, label } = object;
    if (typeof path !== 'string') {
      collector.malformed(line, '"path" is missing or not a string');
      return;
    }
    if (!('label' in object)) {
      collector.malformed(line, '"label" is missing (use null for an unlabelled image)');
      return;
    }
    if (label === null) {
      collector.add(line, path, null);
    } else if (typeof label === 'string') {
      collector.add(line, path, labelOrNull(label));
    } else if (typeof label === 'number' && Number.isFinite(label)) {
      // Numeric class ids ({"label": 3}) are common in exported datasets.
      collector.add(line, path, String(label));
    } else {
      collector.malformed(line, '"label" must be a string, a number or null');
    }
  });
  return { kind: 'jsonl', records, rows: collector.rows, problems: collector.problems };
}
