// A small, strict XML reader and the escaping for writing XML: enough for the annotation files that
// CVAT writes ("CVAT for images 1.1") and the labelling configuration written for Label Studio.
// Elements, attributes in single or double quotes, text, comments, processing instructions, CDATA
// sections and the five named entities plus numeric ones. A DOCTYPE is refused (no entity
// definitions, so no entity expansion), and so is anything malformed, with its line: an export that
// does not parse is never half read.

export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own text, concatenated (its children's text not included). */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

/** Parses a whole document and returns its root element; throws XmlSyntaxError for anything outside the subset. */
export function parseXml(source: string): XmlElement {
  const reader = new Reader(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  return reader.document();
}

/** Text for an attribute value or element content: the characters XML gives meaning to, escaped. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

class Reader {
  private at = 0;

  constructor(private readonly source: string) {}

  document(): XmlElement {
    this.skipMisc();
    if (this.source.startsWith('<!DOCTYPE', this.at)) this.fail('a DOCTYPE is not accepted (entity definitions are not read)');
    if (this.source[this.at] !== '<') this.fail(this.at >= this.source.length ? 'the document is empty' : 'expected the root element');
    const root = this.element();
    this.skipMisc();
    if (this.at < this.source.length) this.fail('content after the root element');
    return root;
  }

  /** Whitespace, comments and processing instructions (the XML declaration among them). */
  private skipMisc(): void {
    for (;;) {
      while (this.at < this.source.length && /\s/.test(this.source[this.at])) this.at++;
      if (this.source.startsWith('<!--', this.at)) this.skipPast('-->', 'an unclosed comment');
      else if (this.source.startsWith('<?', this.at)) this.skipPast('?>', 'an unclosed processing instruction');
      else return;
    }
  }

  private element(): XmlElement {
    this.at++; // '<'
    const name = this.name('an element name');
    const element: XmlElement = { name, attributes: new Map(), children: [], text: '' };
    for (;;) {
      const hadSpace = this.skipSpace();
      const next = this.source[this.at];
      if (next === '/') {
        if (this.source[this.at + 1] !== '>') this.fail(`expected "/>" in <${name}>`);
        this.at += 2;
        return element;
      }
      if (next === '>') {
        this.at++;
        break;
      }
      if (next === undefined) this.fail(`<${name}> is not closed`);
      if (!hadSpace) this.fail(`expected a space before an attribute of <${name}>`);
      const attribute = this.name(`an attribute name in <${name}>`);
      this.skipSpace();
      if (this.source[this.at] !== '=') this.fail(`expected "=" after ${attribute} in <${name}>`);
      this.at++;
      this.skipSpace();
      const quote = this.source[this.at];
      if (quote !== '"' && quote !== "'") this.fail(`the value of ${attribute} in <${name}> must be quoted`);
      const end = this.source.indexOf(quote, this.at + 1);
      if (end < 0) this.fail(`the value of ${attribute} in <${name}> is not closed`);
      const raw = this.source.slice(this.at + 1, end);
      if (raw.includes('<')) this.fail(`"<" in the value of ${attribute} in <${name}>`);
      if (element.attributes.has(attribute)) this.fail(`${attribute} appears twice in <${name}>`);
      element.attributes.set(attribute, this.decode(raw));
      this.at = end + 1;
    }
    this.content(element);
    return element;
  }

  /** Children and text up to the element's end tag. */
  private content(element: XmlElement): void {
    for (;;) {
      const lt = this.source.indexOf('<', this.at);
      if (lt < 0) this.fail(`<${element.name}> is never closed`);
      element.text += this.decode(this.source.slice(this.at, lt));
      this.at = lt;
      if (this.source.startsWith('</', this.at)) {
        this.at += 2;
        const name = this.name('an end tag name');
        if (name !== element.name) this.fail(`</${name}> closes <${element.name}>`);
        this.skipSpace();
        if (this.source[this.at] !== '>') this.fail(`expected ">" after </${name}`);
        this.at++;
        return;
      }
      if (this.source.startsWith('<!--', this.at)) this.skipPast('-->', 'an unclosed comment');
      else if (this.source.startsWith('<![CDATA[', this.at)) {
        const end = this.source.indexOf(']]>', this.at);
        if (end < 0) this.fail('an unclosed CDATA section');
        element.text += this.source.slice(this.at + 9, end);
        this.at = end + 3;
      } else if (this.source.startsWith('<?', this.at)) this.skipPast('?>', 'an unclosed processing instruction');
      else if (this.source.startsWith('<!', this.at)) this.fail('a declaration inside an element');
      else element.children.push(this.element());
    }
  }

  private decode(raw: string): string {
    if (raw.includes(']]>')) this.fail('"]]>" outside a CDATA section');
    return raw.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
      if (!whole.endsWith(';')) this.fail(`"&" not starting an entity (write &amp;)`);
      if (body in NAMED_ENTITIES) return NAMED_ENTITIES[body];
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
      if (!numeric) this.fail(`unknown entity &${body};`);
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`&${body}; is not a character`);
      return String.fromCodePoint(code);
    });
  }

  private name(what: string): string {
    NAME.lastIndex = this.at;
    const match = NAME.exec(this.source);
    if (!match) this.fail(`expected ${what}`);
    this.at += match[0].length;
    return match[0];
  }

  private skipSpace(): boolean {
    const start = this.at;
    while (this.at < this.source.length && /\s/.test(this.source[this.at])) this.at++;
    return this.at > start;
  }

  private skipPast(end: string, what: string): void {
    const found = this.source.indexOf(end, this.at);
    if (found < 0) this.fail(what);
    this.at = found + end.length;
  }

  private fail(message: string): never {
    let line = 1;
    for (let i = 0; i < this.at && i < this.source.length; i++) if (this.source.charCodeAt(i) === 10) line++;
    throw new XmlSyntaxError(message, line);
  }
}

/** The children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
