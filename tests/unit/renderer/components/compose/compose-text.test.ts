// The composer's text rules: address fields read forgivingly and written back the same, typos
// named, completion replacing only the entry being typed, sizes, and signatures per identity.
import { describe, expect, it } from 'vitest';
import {
  completeWith,
  formatAddressList,
  formatSize,
  lastEntry,
  parseAddressList,
} from '../../../../../src-renderer/src/components/compose/address-text';
import {
  signatureBlock,
  swapSignature,
  textToHtml,
} from '../../../../../src-renderer/src/components/compose/body-text';

describe('address fields', () => {
  it('reads names, quotes, angle brackets, commas and semicolons', () => {
    expect(
      parseAddressList('Ana Torres <ana@example.test>; "Díaz, Bob" <bob@example.test>, cat@example.test,'),
    ).toEqual({
      addresses: [
        { name: 'Ana Torres', address: 'ana@example.test' },
        { name: 'Díaz, Bob', address: 'bob@example.test' },
        { name: '', address: 'cat@example.test' },
      ],
      invalid: [],
    });
  });

  it('names the entries that are not addresses', () => {
    expect(parseAddressList('ana@example.test, bob, <x y@z>').invalid).toEqual(['bob', '<x y@z>']);
    expect(parseAddressList('  ').addresses).toEqual([]);
  });

  it('writes addresses back so they read the same', () => {
    const list = [
      { name: 'Díaz, Bob', address: 'bob@example.test' },
      { name: '', address: 'cat@example.test' },
    ];
    expect(formatAddressList(list)).toBe('"Díaz, Bob" <bob@example.test>, cat@example.test');
    expect(parseAddressList(formatAddressList(list)).addresses).toEqual(list);
  });

  it('completes only the entry being typed', () => {
    expect(lastEntry('ana@example.test, bo')).toEqual({ before: 'ana@example.test, ', current: 'bo' });
    expect(completeWith('ana@example.test, bo', { name: 'Bob', address: 'bob@example.test' })).toBe(
      'ana@example.test, Bob <bob@example.test>, ',
    );
  });

  it('shows sizes in binary units', () => {
    expect([formatSize(0), formatSize(1536), formatSize(200_000), formatSize(10 * 1024 * 1024)]).toEqual([
      '0 B',
      '1.5 KB',
      '195 KB',
      '10 MB',
    ]);
  });
});

describe('body text', () => {
  it('swaps the signature when the identity changes, and adds one where there was none', () => {
    const text = `Hello${signatureBlock('Ana\nSales')}`;
    expect(text).toBe('Hello\n\n-- \nAna\nSales\n');
    expect(swapSignature(text, 'Ana\nSales', 'Ana (home)')).toBe('Hello\n\n-- \nAna (home)\n');
    expect(swapSignature('Hello\n', '', 'Bob')).toBe('Hello\n\n-- \nBob\n');
    expect(swapSignature('Hello, edited', 'Ana', 'Bob')).toBe('Hello, edited');
  });

  it('turns plain text into escaped formatted text', () => {
    expect(textToHtml('a <b>\n\n"c" & d')).toBe(
      '<div>a &lt;b&gt;</div><div><br></div><div>&quot;c&quot; &amp; d</div>',
    );
  });
});
