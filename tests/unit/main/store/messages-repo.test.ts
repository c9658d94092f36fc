import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageId } from '../../../../src-main/domain/ids';
import type { MessageSortKey, MessageSummary, SortDirection } from '../../../../src-main/domain/message';
import { newMessage, openStoreFixture } from './store-fixture';
import type { StoreFixture } from './store-fixture';

let fx: StoreFixture;
beforeEach(async () => {
  fx = await openStoreFixture();
});
afterEach(async () => {
  await fx.dispose();
});

const SENDERS = ['Émile Zola', 'anna', 'Bob', 'bob', 'Zoë', '"Quoted" Name', 'carl', ''];
const SUBJECTS = ['Re: Budget', 'budget', 'Éclair', 'alpha', 'Fwd: Zeta', 'beta', 'RE: alpha', ''];

function insertVariety(count: number): MessageId[] {
  return fx.store.transaction(() =>
    Array.from({ length: count }, (_, i) =>
      fx.store.messages.insert(
        newMessage(fx.inbox, i, {
          from:
            SENDERS[i % SENDERS.length] === ''
              ? null
              : { name: SENDERS[i % SENDERS.length]!, address: `x${i}@e.test` },
          subject: SUBJECTS[(i * 3) % SUBJECTS.length]!,
          date: 1_700_000_000_000 + ((i * 7919) % 1000) * 60_000, // many equal dates, not in id order
          size: 500 + ((i * 31) % 17) * 100, // many equal sizes
        }),
      ),
    ),
  );
}

/** What the order must be: by the sort key, ties by id, both in the same direction. */
function expectedOrder(rows: MessageSummary[], by: MessageSortKey, direction: SortDirection): number[] {
  const fold = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/^[\s"'<(]+/, '')
      .trim();
  const key = (m: MessageSummary): string | number => {
    switch (by) {
      case 'date':
        return m.date;
      case 'size':
        return m.size;
      case 'sender':
        return fold(m.from ? m.from.name || m.from.address : '');
      case 'subject':
        return fold(
          m.subject
            .replace(/^\s*((re|fw|fwd)\s*:\s*)+/i, '')
            .replace(/\s+/g, ' ')
            .trim()
            .toLowerCase(),
        );
    }
  };
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
      return sign * (byKey !== 0 ? byKey : a.id - b.id);
    })
    .map((m) => m.id);
}

describe('MessagesRepo.page', () => {
  const sorts: Array<[MessageSortKey, SortDirection]> = (
    ['date', 'sender', 'subject', 'size'] as const
  ).flatMap((by) =>
    (['asc', 'desc'] as const).map((direction): [MessageSortKey, SortDirection] => [by, direction]),
  );

  it.each(sorts)(
    'pages by %s %s in the right order, with stable ties and no gaps or repeats',
    (by, direction) => {
      insertVariety(97);
      const all = fx.store.messages.page(fx.inbox.id, 0, 500, { by, direction });
      expect(all.total).toBe(97);
      expect(all.rows.map((r) => r.id)).toEqual(expectedOrder(all.rows, by, direction));
      const paged: number[] = [];
      for (let offset = 0; offset < 97; offset += 10) {
        paged.push(
          ...fx.store.messages.page(fx.inbox.id, offset, 10, { by, direction }).rows.map((r) => r.id),
        );
      }
      expect(paged).toEqual(all.rows.map((r) => r.id));
    },
  );

  it('returns the total and an empty page past the end', () => {
    insertVariety(5);
    expect(fx.store.messages.page(fx.inbox.id, 5, 10)).toEqual({ total: 5, rows: [] });
    expect(fx.store.messages.page(fx.trash.id, 0, 10)).toEqual({ total: 0, rows: [] });
  });

  it('refuses a nonsensical window with BAD_REQUEST', () => {
    expect(() => fx.store.messages.page(fx.inbox.id, -1, 10)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
    expect(() => fx.store.messages.page(fx.inbox.id, 0, 0)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});

describe('MessagesRepo flags and counts', () => {
  it('keeps unread/total right through inserts and setFlags, and reports what changed', () => {
    const ids = insertVariety(10);
    fx.store.transaction(() =>
      fx.store.messages.insert(
        newMessage(fx.trash, 100, { flags: { ...newMessage(fx.trash, 0).flags, seen: true } }),
      ),
    );
    expect(fx.store.messages.countsFor([fx.inbox.id, fx.trash.id])).toEqual(
      new Map([
        [fx.inbox.id, { unread: 10, total: 10 }],
        [fx.trash.id, { unread: 0, total: 1 }],
      ]),
    );
    const first = fx.store.messages.setFlags(ids.slice(0, 4), 'seen', true);
    expect(first).toEqual({ changed: 4, folderIds: [fx.inbox.id] });
    // Already seen: nothing changes, nothing to refresh.
    expect(fx.store.messages.setFlags(ids.slice(0, 2), 'seen', true)).toEqual({ changed: 0, folderIds: [] });
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)).toEqual({ unread: 6, total: 10 });
    fx.store.messages.setFlags([ids[0]!], 'seen', false);
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)).toEqual({ unread: 7, total: 10 });
    // Flags other than \Seen do not touch the unread count.
    expect(fx.store.messages.setFlags(ids, 'flagged', true).changed).toBe(10);
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)).toEqual({ unread: 7, total: 10 });
    expect(fx.store.messages.get(ids[5]!)?.flags).toMatchObject({ seen: false, flagged: true });
  });

  it('agrees with a COUNT over the table after many random changes', () => {
    const ids = insertVariety(200);
    for (let round = 0; round < 20; round++) {
      const pick = ids.filter((_, i) => (i * 13 + round * 7) % 5 === 0);
      fx.store.messages.setFlags(pick, 'seen', round % 3 !== 0);
    }
    const counted = fx.store.messages.page(fx.inbox.id, 0, 500).rows.filter((r) => !r.flags.seen).length;
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)).toEqual({
      unread: counted,
      total: 200,
    });
  });

  it('stores and returns every field of a message', () => {
    const input = newMessage(fx.inbox, 7, {
      cc: [{ name: 'C', address: 'c@e.test' }],
      flags: {
        seen: true,
        flagged: false,
        answered: true,
        forwarded: true,
        draft: false,
        deleted: false,
        keywords: ['$NotJunk'],
      },
      hasAttachments: true,
      pop3Uidl: 'uidl-7',
      parseState: 'damaged',
    });
    const id = fx.store.transaction(() => fx.store.messages.insert(input));
    const stored = fx.store.messages.get(id)!;
    expect(stored).toMatchObject({
      id,
      folderId: fx.inbox.id,
      subject: 'Subject 7',
      from: input.from,
      to: input.to,
      cc: input.cc,
      date: input.date,
      size: input.size,
      flags: input.flags,
      hasAttachments: true,
      emlPath: input.emlPath,
      pop3Uidl: 'uidl-7',
      imapUid: null,
      parseState: 'damaged',
    });
    expect(fx.store.messages.get(9999 as MessageId)).toBeNull();
  });

  it('stores a POP3 UIDL at most once per account', () => {
    fx.store.transaction(() => fx.store.messages.insert(newMessage(fx.inbox, 1, { pop3Uidl: 'same' })));
    expect(() =>
      fx.store.transaction(() => fx.store.messages.insert(newMessage(fx.inbox, 2, { pop3Uidl: 'same' }))),
    ).toThrow();
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)?.total).toBe(1);
  });
});
