// Reads a few fields out of a large JSON document without building the rest of it. A COCO
// instances file the size of COCO 2017 train (~450 MB, most of it segmentation polygons) would
// take gigabytes as JSON.parse's object graph, and sits close to V8's longest string; a scan needs
// a handful of small fields per entry. This reader walks the UTF-8 bytes once, checks the whole
// document as strictly as JSON.parse (so a file one rejects, the other rejects), and keeps:
//
//   { <list>: [ { <field>: string | number | null, ... } | null, ... ] | null, ... }
//
// for the lists and fields asked for: a list that is not an array reads as null, an entry that
// is not an object reads as null, a kept field that is neither a string nor a number reads as
// null. Every other value is skipped without being materialised. A key written twice counts as
// its last occurrence, as with JSON.parse. A document that is not an object reads as null.

/** Top-level list name -> the fields kept from each of its entries. */
export type KeptFields = Readonly<Record<string, readonly string[]>>;

export type KeptValue = string | number | null;
export type KeptEntry = Record<string, KeptValue>;
export type KeptLists = Record<string, Array<KeptEntry | null> | null>;

/** The document is not valid JSON; the message says what was found where. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
/** The characters that may follow a backslash: " \ / b f n r t u. */
const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

/** Reads bytes (UTF-8, an optional byte-order mark first) for the lists and fields in keep. */
export function readJsonLists(bytes: Uint8Array, keep: KeptFields): KeptLists | null {
  return new ListReader(bytes, keep).document();
}

/** Names as bytes, to match keys without decoding them; a key with escapes is decoded and compared as text. */
interface Names {
  text: readonly string[];
  bytes: readonly Uint8Array[];
}

const namesOf = (text: readonly string[]): Names => ({ text, bytes: text.map((name) => new TextEncoder().encode(name)) });

class ListReader {
  private i = 0;
  private readonly end: number;
  private readonly lists: Names;
  private readonly fields: Names[];
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly b: Uint8Array,
    keep: KeptFields,
  ) {
    this.end = b.length;
    this.lists = namesOf(Object.keys(keep));
    this.fields = this.lists.text.map((list) => namesOf(keep[list]!));
  }

  document(): KeptLists | null {
    const { b } = this;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.i = 3;
    this.space();
    let result: KeptLists | null = null;
    if (this.i < this.end && b[this.i] === OPEN_BRACE) result = this.top();
    else this.skipValue();
    this.space();
    if (this.i < this.end) this.fail('content after the end of the document');
    return result;
  }

  private top(): KeptLists {
    const result: KeptLists = {};
    this.members((index) => {
      if (index < 0) return this.skipValue();
      const name = this.lists.text[index]!;
      if (this.b[this.i] === OPEN_BRACKET) result[name] = this.list(this.fields[index]!);
      else {
        this.skipValue();
        result[name] = null;
      }
    }, this.lists);
    return result;
  }

  private list(fields: Names): Array<KeptEntry | null> {
    const entries: Array<KeptEntry | null> = [];
    this.i++; // [
    this.space();
    if (this.peek() === CLOSE_BRACKET) {
      this.i++;
      return entries;
    }
    for (;;) {
      this.space();
      if (this.peek() === OPEN_BRACE) entries.push(this.entry(fields));
      else {
        this.skipValue();
        entries.push(null);
      }
      this.space();
      const c = this.peek();
      this.i++;
      if (c === CLOSE_BRACKET) return entries;
      if (c !== COMMA) this.fail(`${describe(c)} where a list goes on ("," or "]")`, this.i - 1);
    }
  }

  private entry(fields: Names): KeptEntry {
    const entry: KeptEntry = {};
    this.members((index) => {
      if (index < 0) return this.skipValue();
      const c = this.b[this.i]!;
      let value: KeptValue = null;
      if (c === QUOTE) value = this.string();
      else if (c === MINUS || isDigit(c)) value = this.number();
      else this.skipValue();
      entry[fields.text[index]!] = value;
    }, fields);
    return entry;
  }

  /** An object's members from its "{" to its "}": value(index of the key in names, or -1) reads each value. */
  private members(value: (index: number) => void, names: Names): void {
    this.i++; // {
    this.space();
    if (this.peek() === CLOSE_BRACE) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.peek() !== QUOTE) this.fail(`${describe(this.peek())} where a key goes (a string)`);
      const index = this.key(names);
      this.space();
      if (this.peek() !== COLON) this.fail(`${describe(this.peek())} where ":" goes`);
      this.i++;
      this.space();
      if (this.i >= this.end) this.fail('the end of the file where a value goes');
      value(index);
      this.space();
      const c = this.peek();
      this.i++;
      if (c === CLOSE_BRACE) return;
      if (c !== COMMA) this.fail(`${describe(c)} where an object goes on ("," or "}")`, this.i - 1);
    }
  }

  /** Reads a key; its index in names, or -1. */
  private key(names: Names): number {
    const start = this.i + 1;
    const escaped = this.skipString();
    if (escaped) {
      this.i = start - 1;
      return names.text.indexOf(this.string());
    }
    const length = this.i - 1 - start;
    const { b } = this;
    search: for (let n = 0; n < names.bytes.length; n++) {
      const name = names.bytes[n]!;
      if (name.length !== length) continue;
      for (let k = 0; k < length; k++) if (b[start + k] !== name[k]) continue search;
      return n;
    }
    return -1;
  }

  /** Decodes the string at i, as JSON.parse would. */
  private string(): string {
    const start = this.i + 1;
    if (!this.skipString()) return this.decoder.decode(this.b.subarray(start, this.i - 1));
    const { b } = this;
    const parts: string[] = [];
    let from = start;
    for (let j = start; j < this.i - 1; j++) {
      if (b[j] !== BACKSLASH) continue;
      if (j > from) parts.push(this.decoder.decode(b.subarray(from, j)));
      const c = b[j + 1]!;
      if (c === 0x75) {
        // Each \uXXXX is one UTF-16 code unit; pairs (and lone surrogates) come out as JSON.parse gives them.
        parts.push(String.fromCharCode(parseInt(String.fromCharCode(b[j + 2]!, b[j + 3]!, b[j + 4]!, b[j + 5]!), 16)));
        j += 5;
      } else {
        parts.push(ESCAPES[c]!);
        j += 1;
      }
      from = j + 1;
    }
    if (this.i - 1 > from) parts.push(this.decoder.decode(b.subarray(from, this.i - 1)));
    return parts.join('');
  }

  /** Steps over the string at i (checking its escapes and control characters); true when it holds escapes. */
  private skipString(): boolean {
    const { b, end } = this;
    let i = this.i + 1;
    let escaped = false;
    for (;;) {
      if (i >= end) this.fail('the end of the file inside a string', i);
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        const next = b[i + 1];
        if (next === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k] ?? -1)) this.fail('a \\u escape without four hex digits', i);
          i += 6;
        } else if (next !== undefined && ESCAPES[next] !== undefined) i += 2;
        else this.fail(next === undefined ? 'the end of the file inside a string' : `a bad escape \\${String.fromCharCode(next)}`, i);
        continue;
      }
      if (c < 0x20) this.fail('a control character inside a string (it must be escaped)', i);
      i++;
    }
    this.i = i + 1;
    return escaped;
  }

  /** Reads the number at i, as JSON.parse would. */
  private number(): number {
    const start = this.i;
    this.skipNumber();
    let text = '';
    for (let j = start; j < this.i; j++) text += String.fromCharCode(this.b[j]!);
    return Number(text);
  }

  private skipNumber(): void {
    const { b, end } = this;
    let i = this.i;
    if (b[i] === MINUS) i++;
    if (i >= end || !isDigit(b[i]!)) this.fail('a number without digits', i);
    if (b[i] === ZERO) i++;
    else while (i < end && isDigit(b[i]!)) i++;
    if (i < end && b[i] === DOT) {
      i++;
      if (i >= end || !isDigit(b[i]!)) this.fail('a number without digits after its "."', i);
      while (i < end && isDigit(b[i]!)) i++;
    }
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (b[i] === PLUS || b[i] === MINUS) i++;
      if (i >= end || !isDigit(b[i]!)) this.fail('a number without digits in its exponent', i);
      while (i < end && isDigit(b[i]!)) i++;
    }
    this.i = i;
  }

  /** Steps over any value at i, however deeply nested, without recursion. */
  private skipValue(): void {
    this.space();
    const first = this.peek();
    if (first === QUOTE) return void this.skipString();
    if (first === MINUS || isDigit(first)) return this.skipNumber();
    const open: number[] = []; // The closing byte of each container we are in.
    for (;;) {
      this.space();
      const c = this.peek();
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.i++;
        this.space();
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        if (this.peek() === close) this.i++;
        else {
          open.push(close);
          if (close === CLOSE_BRACE) this.memberKey();
          continue;
        }
      } else if (c === QUOTE) this.skipString();
      else if (c === MINUS || isDigit(c)) {
        this.skipNumber();
        // A run of numbers in a list (a polygon, a bbox, RLE counts), without the general loop per number.
        if (open[open.length - 1] === CLOSE_BRACKET) {
          for (;;) {
            if (this.b[this.i] !== COMMA) break;
            const d = this.b[this.i + 1] ?? -1;
            if (d !== MINUS && !isDigit(d)) break;
            this.i++;
            this.skipNumber();
          }
        }
      } else if (c === 0x74) this.literal('true');
      else if (c === 0x66) this.literal('false');
      else if (c === 0x6e) this.literal('null');
      else this.fail(`${describe(c)} where a value goes`);
      // A value is done: close what it ends, or go on to the next one.
      for (;;) {
        if (open.length === 0) return;
        this.space();
        const next = this.peek();
        this.i++;
        if (next === COMMA) {
          if (open[open.length - 1] === CLOSE_BRACE) {
            this.space();
            this.memberKey();
          }
          break;
        }
        if (next !== open[open.length - 1]) this.fail(`${describe(next)} where "," or "${String.fromCharCode(open[open.length - 1]!)}" goes`, this.i - 1);
        open.pop();
      }
    }
  }

  /** Steps over `"key" :` inside an object being skipped. */
  private memberKey(): void {
    if (this.peek() !== QUOTE) this.fail(`${describe(this.peek())} where a key goes (a string)`);
    this.skipString();
    this.space();
    if (this.peek() !== COLON) this.fail(`${describe(this.peek())} where ":" goes`);
    this.i++;
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.b[this.i + k] !== word.charCodeAt(k)) this.fail(`${describe(this.b[this.i] ?? -1)} where a value goes`);
    }
    this.i += word.length;
  }

  /** The byte at i, or -1 at the end. */
  private peek(): number {
    return this.i < this.end ? this.b[this.i]! : -1;
  }

  private space(): void {
    const { b, end } = this;
    let i = this.i;
    while (i < end) {
      const c = b[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }

  private fail(what: string, at = this.i): never {
    let line = 1;
    for (let j = 0; j < at && j < this.end; j++) if (this.b[j] === 0x0a) line++;
    throw new JsonSyntaxError(`${what} at byte ${at}, line ${line}`);
  }
}

function describe(c: number): string {
  if (c < 0) return 'the end of the file';
  if (c >= 0x21 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
