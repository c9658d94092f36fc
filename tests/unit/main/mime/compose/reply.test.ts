// Reply and forward rules: no stacked prefixes, the attribution line and quote, recipients
// without the user's own addresses, and the thread headers.
import { describe, expect, it } from 'vitest';
import {
  attributionLine,
  forwardBody,
  forwardSubject,
  quoteLines,
  replyBody,
  replyRecipients,
  replySubject,
  replyThreading,
} from '../../../../../src-main/mime/compose';

const ana = { name: 'Ana', address: 'ana@example.test' };
const me = { name: 'Me', address: 'Me@Example.test' };
const bob = { name: 'Bob', address: 'bob@example.test' };
const cat = { name: '', address: 'cat@example.test' };

describe('subjects', () => {
  it.each([
    ['Hello', 'Re: Hello'],
    ['Re: Hello', 'Re: Hello'],
    ['RE: Hello', 'RE: Hello'],
    ['AW: Hallo', 'AW: Hallo'],
    ['Fwd: Hello', 'Re: Fwd: Hello'],
    ['', 'Re: '],
  ])('reply to %j is %j', (subject, expected) => {
    expect(replySubject(subject).trimEnd()).toBe(expected.trimEnd());
  });

  it.each([
    ['Hello', 'Fwd: Hello'],
    ['Fwd: Hello', 'Fwd: Hello'],
    ['FW: Hello', 'FW: Hello'],
    ['Re: Hello', 'Fwd: Re: Hello'],
  ])('forward of %j is %j', (subject, expected) => {
    expect(forwardSubject(subject)).toBe(expected);
  });
});

describe('quoting', () => {
  it('starts with room to write, then "On <date>, <sender> wrote:" and the quoted lines', () => {
    const body = replyBody({ date: Date.UTC(2026, 0, 2, 3, 4), from: [ana] }, 'one\n\n> older\ntwo\r\n');
    expect(body.startsWith('\n\nOn ')).toBe(true);
    expect(body).toMatch(/On .*2026.*, Ana <ana@example\.test> wrote:\n> one\n>\n>> older\n> two\n$/);
  });

  it('says who wrote without a date when the original has none', () => {
    expect(attributionLine(null, cat)).toBe('cat@example.test wrote:');
    expect(quoteLines('a\nb')).toBe('> a\n> b');
  });

  it('forwards inline under a header block', () => {
    const body = forwardBody(
      {
        from: [ana],
        to: [me],
        cc: [],
        replyTo: [],
        subject: 'Plans',
        date: null,
        messageId: null,
        inReplyTo: null,
        references: [],
      },
      'text',
    );
    expect(body).toBe(
      '\n\n---------- Forwarded message ----------\nFrom: Ana <ana@example.test>\nSubject: Plans\nTo: Me <Me@Example.test>\n\ntext',
    );
  });
});

describe('recipients', () => {
  const original = {
    from: [ana],
    replyTo: [],
    to: [me, bob],
    cc: [cat, { ...me, address: 'me@example.test' }],
  };

  it('replies to the sender only', () => {
    expect(replyRecipients(original, ['me@example.test'], false)).toEqual({ to: [ana], cc: [] });
  });

  it('replies to all without the user, and without duplicates', () => {
    expect(replyRecipients({ ...original, to: [me, bob, ana] }, ['me@example.test'], true)).toEqual({
      to: [ana, bob],
      cc: [cat],
    });
  });

  it('follows Reply-To', () => {
    expect(replyRecipients({ ...original, replyTo: [cat] }, ['me@example.test'], false).to).toEqual([cat]);
  });

  it("replies to the original recipients of the user's own message", () => {
    expect(
      replyRecipients({ from: [me], replyTo: [], to: [bob], cc: [] }, ['me@example.test'], false).to,
    ).toEqual([bob]);
  });
});

describe('threading', () => {
  it('adds the original to its References, and uses In-Reply-To when References is missing', () => {
    expect(replyThreading({ messageId: 'b@x', references: ['a@x'], inReplyTo: 'a@x' })).toEqual({
      inReplyTo: 'b@x',
      references: ['a@x', 'b@x'],
    });
    expect(replyThreading({ messageId: 'b@x', references: [], inReplyTo: 'a@x' }).references).toEqual([
      'a@x',
      'b@x',
    ]);
    expect(replyThreading({ messageId: null, references: ['a@x'], inReplyTo: null })).toEqual({
      inReplyTo: null,
      references: [],
    });
  });
});
