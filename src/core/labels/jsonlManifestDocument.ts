// labels.jsonl as an editable document. Lines it does not change are kept exactly, including
// malformed ones and blank lines; a changed line keeps its keys, their order and the file's
// spacing style (`{"a":1}` or Python's `{"a": 1}`). Unlabelled is written as `null`.
import { normaliseManifestPath } from '../dataset/manifestPath';
import { readLabel, rowKey, type ManifestDocument } from './manifestDocument';

interface JsonlLine {
  text: string;
  /** '\r\n', '\n', or '' for a last line without a line ending. */
  terminator: string;
}

interface JsonlRow {
  line: JsonlLine;
  object: Record<string, unknown>;
  relPath: string;
  label: string | null;
}

interface JsonStyle {
  colon: string;
  comma: string;
}

export class JsonlManifestDocument implements ManifestDocument {
  readonly kind = 'jsonl';
  readonly unusableReason = undefined;
  private readonly bom: string;
  private readonly lines: JsonlLine[] = [];
  private readonly rows = new Map<string, JsonlRow>();
  private readonly lineEnding: string;
  private readonly style: JsonStyle;

  constructor(text: string) {
    this.bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    const body = text.slice(this.bom.length);
    const pattern = /\r\n|\n/g;
    let start = 0;
    for (let match = pattern.exec(body); match; match = pattern.exec(body)) {
      this.lines.push({ text: body.slice(start, match.index), terminator: match[0] });
      start = match.index + match[0].length;
    }
    if (start < body.length) this.lines.push({ text: body.slice(start), terminator: '' });
    this.lineEnding = this.lines.find((line) => line.terminator !== '')?.terminator ?? '\n';

    let firstRowText: string | undefined;
    for (const line of this.lines) {
      const row = readRow(line);
      if (!row) continue;
      firstRowText ??= line.text;
      const key = rowKey(row.relPath);
      if (!this.rows.has(key)) this.rows.set(key, row);
    }
    this.style = firstRowText !== undefined ? styleOf(firstRowText) : { colon: ': ', comma: ', ' };
  }

  labelOf(relPath: string): string | null | undefined {
    return this.rows.get(rowKey(relPath))?.label;
  }

  entries(): Array<[string, string | null]> {
    return [...this.rows.values()].map((row) => [row.relPath, row.label]);
  }

  setLabel(relPath: string, label: string | null): void {
    const existing = this.rows.get(rowKey(relPath));
    if (existing) {
      existing.object.label = label;
      existing.line.text = stringify(existing.object, styleOf(existing.line.text));
      existing.label = label;
      return;
    }
    const object: Record<string, unknown> = { path: relPath, label };
    const last = this.lines[this.lines.length - 1];
    let terminator = this.lineEnding;
    if (last && last.terminator === '') {
      last.terminator = this.lineEnding;
      terminator = '';
    }
    const line: JsonlLine = { text: stringify(object, this.style), terminator };
    this.lines.push(line);
    this.rows.set(rowKey(relPath), { line, object, relPath, label });
  }

  toText(): string {
    return this.bom + this.lines.map((line) => line.text + line.terminator).join('');
  }
}

/** A usable row, by the scanner's rules (path a string, label a string, a number or null). */
function readRow(line: JsonlLine): JsonlRow | undefined {
  if (line.text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  if (typeof object.path !== 'string' || !('label' in object)) return undefined;
  let label: string | null;
  if (object.label === null) label = null;
  else if (typeof object.label === 'string') label = readLabel(object.label);
  else if (typeof object.label === 'number' && Number.isFinite(object.label)) label = String(object.label);
  else return undefined;
  const path = normaliseManifestPath(object.path);
  if (!path.ok) return undefined;
  return { line, object, relPath: path.relPath, label };
}

/** Spacing after ':' and ',' as the line was written (compact JSON or Python's json.dumps default). */
function styleOf(text: string): JsonStyle {
  return { colon: /"\s*:\s/.test(text) ? ': ' : ':', comma: /,\s+"/.test(text) ? ', ' : ',' };
}

/** Top-level keys in their original order with the line's spacing; nested values compact. */
function stringify(object: Record<string, unknown>, style: JsonStyle): string {
  const members = Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}${style.colon}${JSON.stringify(value)}`);
  return `{${members.join(style.comma)}}`;
}
