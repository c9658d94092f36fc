import { describe, expect, it } from 'vitest';
import {
  MAX_XML_CHARS,
  MAX_XML_DEPTH,
  childText,
  readXml,
  type XmlElement,
} from '../../../../../src-main/accounts/autoconfig/xml-reader';
import { fixture } from './fixtures';

function rootOf(xml: string): XmlElement {
  const result = readXml(xml);
  if (!result.ok) throw new Error(`unexpected failure: ${result.error}`);
  return result.root;
}

function errorOf(xml: string): string {
  const result = readXml(xml);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.error;
}

describe('xml reader', () => {
  it('reads elements, attributes, text, CDATA and character references', () => {
    const root = rootOf(
      `\uFEFF<?xml version="1.0"?><!-- c --><a x='1' y="&lt;2&gt;"><b>one &amp; two</b><c/>` +
        `<d><![CDATA[<raw> & ]]>&#x263A;&#9731;</d></a>\n`,
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: '<2>' });
    expect(childText(root, 'b')).toBe('one & two');
    expect(root.children.map((child) => child.name)).toEqual(['b', 'c', 'd']);
    expect(childText(root, 'd')).toBe('<raw> & ☺☃');
    expect(childText(root, 'missing')).toBeUndefined();
  });

  it('reads the real-world shaped fixtures', () => {
    for (const name of ['fastmail.xml', 'gmx.net.xml', 'university.xml']) {
      expect(rootOf(fixture(name)).name, name).toBe('clientConfig');
    }
  });

  it('keeps unknown or broken entity references as literal text instead of failing', () => {
    const root = rootOf('<a>POP3 &amP; IMAP, R&D, &#0;, &unknown;</a>');
    expect(root.text).toBe('POP3 &amP; IMAP, R&D, &#0;, &unknown;');
  });

  it('refuses any DOCTYPE, so external entities and entity bombs never expand', () => {
    expect(errorOf(fixture('hostile-external-entity.xml'))).toMatch(/DOCTYPE/);
    expect(errorOf(fixture('hostile-billion-laughs.xml'))).toMatch(/DOCTYPE/);
    expect(errorOf(fixture('not-config-html.xml'))).toMatch(/DOCTYPE/);
  });

  it('refuses malformed structure', () => {
    expect(errorOf(fixture('malformed-truncated.xml'))).toMatch(
      /unterminated|never closed|malformed end tag/,
    );
    expect(errorOf(fixture('malformed-mismatched.xml'))).toMatch(/does not match/);
    const broken = [
      '',
      'just text',
      '<a>',
      '<a></b>',
      '<a/><b/>',
      '<a x=1/>',
      '<a x="1" x="2"/>',
      '<a x="1"y="2"/>',
      '<a x="<"/>',
      '<a><!-- never ends</a>',
      '<a><![CDATA[ never ends</a>',
      '<a><?pi never ends</a>',
      '< a/>',
      'text<a/>',
      '<a/>text',
    ];
    for (const xml of broken) expect(readXml(xml).ok, JSON.stringify(xml)).toBe(false);
  });

  it('bounds size, depth and element count', () => {
    expect(errorOf(`<a>${' '.repeat(MAX_XML_CHARS)}</a>`)).toMatch(/too large/);
    expect(errorOf(`${'<a>'.repeat(MAX_XML_DEPTH + 1)}${'</a>'.repeat(MAX_XML_DEPTH + 1)}`)).toMatch(
      /deeply/,
    );
    expect(rootOf(`${'<a>'.repeat(MAX_XML_DEPTH)}${'</a>'.repeat(MAX_XML_DEPTH)}`).name).toBe('a');
    expect(errorOf(`<a>${'<b/>'.repeat(10_000)}</a>`)).toMatch(/too many elements/);
    const attributes = Array.from({ length: 40 }, (_, i) => `a${i}="x"`).join(' ');
    expect(errorOf(`<a ${attributes}/>`)).toMatch(/too many attributes/);
  });

  it('does not let attribute names reach the object prototype', () => {
    const root = rootOf('<a __proto__="x" constructor="y"/>');
    expect(root.attributes['__proto__']).toBe('x');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
  });
});
