/**
 * A small, strict XML reader for the documents account setup downloads (Mozilla config-v1.1).
 * It accepts elements, attributes, text, CDATA, comments and processing instructions, and refuses
 * any `<!DOCTYPE ...>`: without a DTD there are no custom entities, so neither external entity
 * fetches (XXE) nor entity-expansion bombs are possible. Input size, depth and element count are
 * bounded. Namespace prefixes are kept as part of the name; mail config files do not use them.
 */

export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The element's own character data (not its descendants'), entities decoded, untrimmed. */
  text: string;
}

export type XmlReadResult = { ok: true; root: XmlElement } | { ok: false; error: string };

/** Config files are a few KiB; the biggest ISPDB entries are far below this. */
export const MAX_XML_CHARS = 256 * 1024;
export const MAX_XML_DEPTH = 32;
export const MAX_XML_ELEMENTS = 5_000;
export const MAX_XML_ATTRIBUTES = 32;

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const WHITESPACE = /[ \t\r\n]*/y;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};
const ENTITY_REFERENCE = /&([^;&<>\s]{1,10});/g;
const MAX_CODE_POINT = 0x10ffff;

class XmlSyntaxError extends Error {}

/** The character a numeric reference names, or undefined when it names none (NUL, surrogates, > U+10FFFF). */
function characterReference(body: string): string | undefined {
  const isHex = body.startsWith('#x') || body.startsWith('#X');
  const digits = body.slice(isHex ? 2 : 1);
  if (!(isHex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) return undefined;
  const codePoint = Number.parseInt(digits, isHex ? 16 : 10);
  const isSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  if (codePoint === 0 || codePoint > MAX_CODE_POINT || isSurrogate) return undefined;
  return String.fromCodePoint(codePoint);
}

/**
 * Only the five predefined entities and numeric references exist without a DTD (XML 1.0 §4.6).
 * Anything else is kept as literal text instead of failing the document: real config files
 * contain such slips (the ISPDB's gmx.net file says "&amP;"), and since nothing is ever expanded
 * beyond one character, leniency here costs no safety.
 */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY_REFERENCE, (match, body: string) =>
    body.startsWith('#') ? (characterReference(body) ?? match) : (PREDEFINED_ENTITIES[body] ?? match),
  );
}

class Reader {
  private pos = 0;
  private elementCount = 0;
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | null = null;

  constructor(private readonly src: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  read(): XmlElement {
    while (this.pos < this.src.length) {
      if (this.src[this.pos] === '<') this.readMarkup();
      else this.readText();
    }
    if (this.stack.length > 0) throw new XmlSyntaxError(`<${this.stack.at(-1)?.name}> is never closed`);
    if (this.root === null) throw new XmlSyntaxError('no root element');
    return this.root;
  }

  private readText(): void {
    const lt = this.src.indexOf('<', this.pos);
    const end = lt === -1 ? this.src.length : lt;
    const raw = this.src.slice(this.pos, end);
    this.pos = end;
    const parent = this.stack.at(-1);
    if (parent !== undefined) parent.text += decodeEntities(raw);
    else if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element');
  }

  private skipPast(terminator: string, what: string): string {
    const end = this.src.indexOf(terminator, this.pos);
    if (end === -1) throw new XmlSyntaxError(`unterminated ${what}`);
    const body = this.src.slice(this.pos, end);
    this.pos = end + terminator.length;
    return body;
  }

  private readMarkup(): void {
    const rest = (prefix: string): boolean => this.src.startsWith(prefix, this.pos);
    if (rest('<?')) {
      this.pos += 2;
      this.skipPast('?>', 'processing instruction');
    } else if (rest('<!--')) {
      this.pos += 4;
      this.skipPast('-->', 'comment');
    } else if (rest('<![CDATA[')) {
      this.pos += 9;
      const data = this.skipPast(']]>', 'CDATA section');
      const parent = this.stack.at(-1);
      if (parent === undefined) throw new XmlSyntaxError('CDATA outside the root element');
      parent.text += data;
    } else if (rest('<!')) {
      throw new XmlSyntaxError('DOCTYPE and other declarations are not accepted');
    } else if (rest('</')) {
      this.readEndTag();
    } else {
      this.readStartTag();
    }
  }

  private readName(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (match === null) throw new XmlSyntaxError(`expected a name at offset ${this.pos}`);
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private skipWhitespace(): boolean {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.src);
    const skipped = WHITESPACE.lastIndex > this.pos;
    this.pos = WHITESPACE.lastIndex;
    return skipped;
  }

  private readEndTag(): void {
    this.pos += 2;
    const name = this.readName();
    this.skipWhitespace();
    if (this.src[this.pos] !== '>') throw new XmlSyntaxError(`malformed end tag </${name}`);
    this.pos += 1;
    const open = this.stack.pop();
    if (open?.name !== name) throw new XmlSyntaxError(`</${name}> does not match <${open?.name ?? ''}>`);
  }

  private readAttributeValue(): string {
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('attribute value must be quoted');
    this.pos += 1;
    const raw = this.skipPast(quote, 'attribute value');
    if (raw.includes('<')) throw new XmlSyntaxError('"<" in attribute value');
    return decodeEntities(raw);
  }

  private readStartTag(): void {
    this.pos += 1;
    const element: XmlElement = { name: this.readName(), attributes: {}, children: [], text: '' };
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    let count = 0;
    for (;;) {
      const hadSpace = this.skipWhitespace();
      const next = this.src[this.pos];
      if (next === undefined) throw new XmlSyntaxError(`unterminated <${element.name}>`);
      if (next === '>' || this.src.startsWith('/>', this.pos)) break;
      if (!hadSpace) throw new XmlSyntaxError(`expected whitespace in <${element.name}>`);
      const attribute = this.readName();
      this.skipWhitespace();
      if (this.src[this.pos] !== '=') throw new XmlSyntaxError(`attribute ${attribute} has no value`);
      this.pos += 1;
      this.skipWhitespace();
      if (Object.hasOwn(attributes, attribute)) throw new XmlSyntaxError(`duplicate attribute ${attribute}`);
      if (++count > MAX_XML_ATTRIBUTES) throw new XmlSyntaxError('too many attributes');
      attributes[attribute] = this.readAttributeValue();
    }
    element.attributes = attributes;
    const selfClosing = this.src[this.pos] === '/';
    this.pos += selfClosing ? 2 : 1;
    this.attach(element);
    if (!selfClosing) this.stack.push(element);
  }

  private attach(element: XmlElement): void {
    if (++this.elementCount > MAX_XML_ELEMENTS) throw new XmlSyntaxError('too many elements');
    const parent = this.stack.at(-1);
    if (parent !== undefined) {
      if (this.stack.length >= MAX_XML_DEPTH) throw new XmlSyntaxError('elements nested too deeply');
      parent.children.push(element);
    } else if (this.root === null) {
      this.root = element;
    } else {
      throw new XmlSyntaxError('more than one root element');
    }
  }
}

/** Never throws: malformed input is an expected answer from the network, reported as data. */
export function readXml(source: string): XmlReadResult {
  if (source.length > MAX_XML_CHARS) return { ok: false, error: 'document too large' };
  try {
    return { ok: true, root: new Reader(source).read() };
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Direct children named `name`, in document order. */
export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Trimmed text of the first direct child named `name`, or undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text.trim();
}
