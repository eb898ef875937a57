// A strict reader for the small part of YAML that a YOLO data.yaml uses: top-level `key: value`
// lines whose value is a scalar (plain, 'single' or "double" quoted), a flow list `[a, 'b c']`, a
// flow map `{0: a, 1: b}`, a block string (`|` or `>`: Ultralytics' own files keep a download
// script in one), or, on the lines below, a block list (`- a`) or a block map (`0: a`). Comments
// and blank lines are skipped. Anything else (anchors, tags, nesting deeper than one level) is
// refused with the line it is on, rather than read wrongly.

export type YamlValue = string | string[] | Array<[string, string]>;

export class DataYamlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Line {
  number: number;
  indent: number;
  text: string;
  /** For `key: |` or `key: >`: the lines below it, as written (comments are content there). */
  blockString?: string;
}

const BLOCK_STRING = /:\s+([|>])[+-]?$/;

/** Returns the top-level keys in file order; a key given twice is an error. */
export function parseDataYaml(source: string): Map<string, YamlValue> {
  const lines = meaningfulLines(source);
  const result = new Map<string, YamlValue>();
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.indent !== 0) throw new DataYamlError(line.number, 'unexpected indentation');
    const { key, rest } = splitKey(line);
    if (result.has(key)) throw new DataYamlError(line.number, `"${key}" is given twice`);
    index++;
    if (line.blockString !== undefined) {
      result.set(key, line.blockString);
      continue;
    }
    if (rest !== '') {
      result.set(key, inlineValue(rest, line.number));
      continue;
    }
    const block: Line[] = [];
    while (index < lines.length && (lines[index]!.indent > 0 || lines[index]!.text.startsWith('- '))) block.push(lines[index++]!);
    result.set(key, blockValue(block, key, line.number));
  }
  return result;
}

function meaningfulLines(source: string): Line[] {
  const lines: Line[] = [];
  const raws = source.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const indentOf = (raw: string): number => raw.length - raw.trimStart().length;
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    if (/^\s*\t/.test(raw)) throw new DataYamlError(i + 1, 'tabs cannot indent YAML');
    const text = stripComment(raw, i + 1).trimEnd();
    if (text.trim() === '' || text.trim() === '---') continue;
    const line: Line = { number: i + 1, indent: indentOf(text), text: text.trimStart() };
    lines.push(line);
    const block = BLOCK_STRING.exec(line.text);
    if (!block) continue;
    // The string is every following line that is blank or indented deeper than its key.
    const body: string[] = [];
    while (i + 1 < raws.length && (raws[i + 1]!.trim() === '' || indentOf(raws[i + 1]!) > line.indent)) body.push(raws[++i]!);
    while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
    const margin = Math.min(...body.filter((entry) => entry.trim() !== '').map(indentOf));
    const content = body.map((entry) => entry.slice(Math.min(margin, indentOf(entry))));
    line.blockString = content.join(block[1] === '|' ? '\n' : ' ');
  }
  return lines;
}

/** Removes a `# comment` that is not inside quotes (YAML wants a space or line start before '#'). */
function stripComment(raw: string, lineNumber: number): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) {
        if (quote === "'" && raw[i + 1] === "'") i++;
        else quote = null;
      } else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      const before = raw.slice(0, i).trimEnd();
      if (before === '' || /[:\-\[,{]$/.test(before)) quote = c;
    } else if (c === '#' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) {
      return raw.slice(0, i);
    }
  }
  if (quote) throw new DataYamlError(lineNumber, `a ${quote === '"' ? 'double' : 'single'}-quoted string is not closed`);
  return raw;
}

function splitKey(line: Line): { key: string; rest: string } {
  const text = line.text;
  let keyEnd: number;
  let key: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const { value, end } = quoted(text, 0, line.number);
    key = value;
    keyEnd = end;
  } else {
    const colon = text.search(/:(\s|$)/);
    if (colon < 0) throw new DataYamlError(line.number, `expected "key: value", found "${text}"`);
    key = text.slice(0, colon).trim();
    keyEnd = colon;
  }
  if (text[keyEnd] !== ':' || (keyEnd + 1 < text.length && text[keyEnd + 1] !== ' ')) {
    throw new DataYamlError(line.number, `expected "key: value", found "${text}"`);
  }
  if (key === '') throw new DataYamlError(line.number, 'a key is empty');
  return { key, rest: text.slice(keyEnd + 1).trim() };
}

function blockValue(block: Line[], key: string, keyLine: number): YamlValue {
  if (block.length === 0) return '';
  const indent = block[0]!.indent;
  for (const line of block) if (line.indent !== indent) throw new DataYamlError(line.number, `"${key}" mixes indentations`);
  if (block[0]!.text.startsWith('- ') || block[0]!.text === '-') {
    return block.map((line) => {
      if (!(line.text.startsWith('- ') || line.text === '-')) throw new DataYamlError(line.number, `"${key}" mixes list items and other lines`);
      const item = scalar(line.text.slice(1).trim(), line.number);
      return item;
    });
  }
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const line of block) {
    const { key: entryKey, rest } = splitKey(line);
    if (rest === '') throw new DataYamlError(line.number, `"${entryKey}" under "${key}" has no value (deeper nesting is not read)`);
    if (seen.has(entryKey)) throw new DataYamlError(line.number, `"${entryKey}" is given twice under "${key}"`);
    seen.add(entryKey);
    pairs.push([entryKey, scalar(rest, line.number)]);
  }
  if (pairs.length === 0) throw new DataYamlError(keyLine, `"${key}" has no value`);
  return pairs;
}

function inlineValue(text: string, line: number): YamlValue {
  if (text.startsWith('[')) return flowItems(text, '[', ']', line).map((item) => scalar(item, line));
  if (text.startsWith('{')) {
    return flowItems(text, '{', '}', line).map((item): [string, string] => {
      const { key, rest } = splitKey({ number: line, indent: 0, text: item });
      return [key, scalar(rest, line)];
    });
  }
  return scalar(text, line);
}

/** Splits `[a, 'b, c', d]` into its raw items, honouring quotes. */
function flowItems(text: string, open: string, close: string, line: number): string[] {
  if (!text.endsWith(close)) throw new DataYamlError(line, `a "${open}" list must close with "${close}" on the same line`);
  const inner = text.slice(1, -1);
  const items: string[] = [];
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '"' || c === "'") i = quoted(inner, i, line).end - 1;
    else if (c === '[' || c === '{' || c === ']' || c === '}') throw new DataYamlError(line, 'nested lists and maps are not read');
    else if (c === ',') {
      items.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = inner.slice(start).trim();
  if (last !== '' || items.length > 0) items.push(last);
  if (items.some((item) => item === '')) throw new DataYamlError(line, 'a list has an empty item');
  return items;
}

function scalar(text: string, line: number): string {
  if (text.startsWith('"') || text.startsWith("'")) {
    const { value, end } = quoted(text, 0, line);
    if (text.slice(end).trim() !== '') throw new DataYamlError(line, `unexpected text after a quoted string: "${text.slice(end).trim()}"`);
    return value;
  }
  if (/^[&*!|>%@`]/.test(text)) throw new DataYamlError(line, `"${text}" uses YAML that this reader does not handle (anchors, tags, block strings)`);
  if (text.startsWith('[') || text.startsWith('{')) throw new DataYamlError(line, 'nested lists and maps are not read');
  return text;
}

/** Reads a quoted string starting at text[start]; returns its value and the index after the closing quote. */
function quoted(text: string, start: number, line: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'" && c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (quote === '"' && c === '"') return { value, end: i + 1 };
    if (quote === '"' && c === '\\') {
      const next = text[++i];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
        value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
        i += 4;
        continue;
      }
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', '"': '"', '\\': '\\', '/': '/' };
      if (next === undefined || !(next in escapes)) throw new DataYamlError(line, `unsupported escape "\\${next ?? ''}" in a double-quoted string`);
      value += escapes[next];
      continue;
    }
    value += c;
  }
  throw new DataYamlError(line, 'a quoted string is not closed');
}
