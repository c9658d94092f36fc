import { describe, expect, it } from 'vitest';
import { linkify, LINKIFY_MAX_CHARS } from '../../../../../src-renderer/src/components/reader/linkify';
import { openableUrl } from '../../../../../src-renderer/src/components/reader/link-target';

describe('linkify', () => {
  it('makes web addresses, www. hosts and email addresses clickable and leaves the rest as text', () => {
    expect(linkify('See https://example.org/a?b=1, www.example.com or mail ana@example.org.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ', ' },
      { kind: 'link', text: 'www.example.com', href: 'https://www.example.com' },
      { kind: 'text', text: ' or mail ' },
      { kind: 'link', text: 'ana@example.org', href: 'mailto:ana@example.org' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps brackets that belong to the URL and drops the ones around it', () => {
    const [, link] = linkify('(see https://en.example.org/wiki/A_(b))');
    expect(link).toEqual({
      kind: 'link',
      text: 'https://en.example.org/wiki/A_(b)',
      href: 'https://en.example.org/wiki/A_(b)',
    });
  });

  it('never turns javascript: or other schemes into links', () => {
    const segments = linkify('javascript:alert(1) file:///etc/passwd data:text/html,x');
    expect(segments.every((segment) => segment.kind === 'text')).toBe(true);
  });

  it('gives back every character of the text, in order', () => {
    const text = 'a https://x.example/y. b\nwww.z.example) c@d.example!';
    expect(
      linkify(text)
        .map((segment) => segment.text)
        .join(''),
    ).toBe(text);
  });

  it('leaves very long texts alone instead of scanning them', () => {
    const text = `https://x.example ${'a'.repeat(LINKIFY_MAX_CHARS)}`;
    expect(linkify(text)).toEqual([{ kind: 'text', text }]);
  });
});

describe('openableUrl', () => {
  it.each([
    ['https://example.org/x', 'https://example.org/x'],
    ['http://example.org', 'http://example.org/'],
    ['mailto:ana@example.org', 'mailto:ana@example.org'],
    ['javascript:alert(1)', null],
    [' JaVaScRiPt:alert(1)', null],
    ['data:text/html,x', null],
    ['file:///etc/passwd', null],
    ['relative/path', null],
    ['', null],
  ])('%s -> %s', (href, expected) => {
    expect(openableUrl(href)).toBe(expected);
  });
});
