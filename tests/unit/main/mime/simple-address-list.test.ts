/**
 * The plain-shape address reader must give exactly what nodemailer's addressparser gives whenever
 * it answers at all, and leave every other shape to addressparser.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../../../src-main/mime/encoded-words';
import { parseAddresses } from '../../../../src-main/mime/header-values';
import { parseSimpleAddressList } from '../../../../src-main/mime/simple-address-list';
import { Random } from '../../../../bench/support/mail-generator/random';

/** What parseAddresses made of addressparser's answer before the plain-shape reader existed. */
function viaAddressparser(value: string): Array<{ name: string; address: string }> {
  return addressparser(value, { flatten: true })
    .filter((entry) => entry.address || entry.name)
    .map((entry) => ({ name: decodeEncodedWords(entry.name ?? '').trim(), address: entry.address ?? '' }));
}

describe('parseSimpleAddressList', () => {
  it('reads bare, bracketed, named and quoted entries', () => {
    expect(
      parseSimpleAddressList(
        'a@b.example, <c@d.example>, Ann Lee <ann@x.example>,"Lee, Ann" <lee@x.example>\t,=?UTF-8?Q?J=C3=B6rg?= <j@x.example>',
      ),
    ).toEqual([
      { name: '', address: 'a@b.example' },
      { name: '', address: 'c@d.example' },
      { name: 'Ann Lee', address: 'ann@x.example' },
      { name: 'Lee, Ann', address: 'lee@x.example' },
      { name: '=?UTF-8?Q?J=C3=B6rg?=', address: 'j@x.example' },
    ]);
  });

  it('leaves every other shape to addressparser', () => {
    for (const value of [
      '',
      '   ',
      'Team: a@b.example, c@d.example;', // a group
      'Ann <ann@x.example> (work)', // a comment
      '"Ann \\"the\\" Lee" <ann@x.example>', // an escape in a quoted string
      '"ann@x.example" <ann@x.example>', // a name holding an address
      'ann@x.example <ann@x.example>',
      'Lee, Ann <lee@x.example>', // name fragments split by the comma
      'a@b.example,', // a trailing comma
      'a@b.example,, c@d.example',
      'Ann <"a b"@x.example>', // a quoted local part
      'Ann <ann@[192.0.2.1]>', // a domain literal
      'Ann < ann@x.example >',
      'Zoë <zoe@x.example>', // 8-bit text (RFC 6532)
      'a@b c@d',
      'just a name',
      '<>',
    ]) {
      expect(parseSimpleAddressList(value), value).toBeNull();
    }
  });

  it('agrees with addressparser on every generated list it reads (and reads most plain ones)', () => {
    const random = new Random(42);
    const pick = <T>(values: readonly T[]): T => random.pick(values);
    const words = [
      'Ann',
      'Lee',
      'x.y',
      "O'Neil",
      'a+b',
      'Jr.',
      '=?UTF-8?Q?J=C3=B6rg?=',
      '=?utf-8?B?w5w=?=',
      '_',
      '{|}',
    ];
    const odd = [' ', '\t', ',', ';', ':', '"', '\\', '(', ')', '<', '>', '@', '[', ']', 'é', '\u00a0'];
    const locals = ['a', 'john.doe', 'x+tag', "o'n", '.a', 'a..b', '!#$%&', 'A'];
    const domains = ['b.example', 'B.EXAMPLE', 'b', '-b.c', 'b.c.', 'x_y.example', '[192.0.2.1]'];
    const maybeOdd = (): string => (random.chance(0.05) ? pick(odd) : '');
    const space = (): string => (random.chance(0.6) ? '' : pick([' ', '  ', '\t', ' \t ']));
    const address = (): string =>
      `${maybeOdd()}${pick(locals)}${random.chance(0.03) ? '' : '@'}${pick(domains)}${maybeOdd()}`;
    const phrase = (): string =>
      Array.from({ length: random.int(1, 3) }, () => pick(words) + maybeOdd()).join(
        pick([' ', ' ', '  ', '\t']),
      );
    const entry = (): string => {
      const roll = random.next();
      if (roll < 0.25) return `${space()}${address()}${space()}`;
      if (roll < 0.35) return `${space()}<${address()}>${space()}`;
      if (roll < 0.7) return `${space()}${phrase()}${space()}<${address()}>${space()}`;
      const quoted = `${random.chance(0.2) ? ' ' : ''}${phrase().replaceAll('"', '')}${random.chance(0.2) ? ', x' : ''}${maybeOdd()}`;
      return `${space()}"${quoted}"${space()}<${address()}>${space()}`;
    };
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = Array.from({ length: random.int(1, 4) }, entry).join(
        random.chance(0.9) ? ',' : pick([', ', ',,', ';']),
      );
      const simple = parseSimpleAddressList(value);
      if (simple === null) continue;
      read += 1;
      expect(parseAddresses(value), value).toEqual(viaAddressparser(value));
    }
    expect(read).toBeGreaterThan(5_000);
  });
});

describe('parseAddresses', () => {
  it('gives the same addresses through either reader', () => {
    for (const value of [
      'Ann Lee <ann@x.example>, bob@y.example',
      'Team: Ann <ann@x.example>;',
      '"Ann \\"A\\"" <a@x.example>',
    ]) {
      expect(parseAddresses(value), value).toEqual(viaAddressparser(value));
    }
    expect(parseAddresses('=?UTF-8?Q?J=C3=B6rg?= <j@x.example>')).toEqual([
      { name: 'Jörg', address: 'j@x.example' },
    ]);
  });
});
