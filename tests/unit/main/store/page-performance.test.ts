/**
 * A 100,000-message folder must page in milliseconds at any offset. The guard is the query plan
 * (an index walk, never a sort of the whole folder); the timings are printed for the record.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSortKey, SortDirection } from '../../../../src-main/domain/message';
import { DATABASE_FILE } from '../../../../src-main/store/mail-store';
import { newMessage, openStoreFixture } from './store-fixture';
import type { StoreFixture } from './store-fixture';

const ROWS = 100_000;
const SORT_COLUMNS: Record<MessageSortKey, string> = {
  date: 'date_ms',
  sender: 'sort_sender',
  subject: 'sort_subject',
  size: 'size',
};

let fx: StoreFixture;
beforeAll(async () => {
  fx = await openStoreFixture();
  const started = performance.now();
  fx.store.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      fx.store.messages.insert(
        newMessage(fx.inbox, i, {
          subject: `Subject ${(i * 7919) % 5000}`,
          from: { name: `Sender ${(i * 104729) % 3000}`, address: `s${i % 3000}@e.test` },
          date: 1_600_000_000_000 + ((i * 15485863) % ROWS) * 60_000,
          size: 1000 + ((i * 31) % 50_000),
          flags: {
            seen: i % 4 !== 0,
            flagged: false,
            answered: false,
            forwarded: false,
            draft: false,
            deleted: false,
            keywords: [],
          },
        }),
      );
    }
  });
  console.log(`inserted ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}, 120_000);
afterAll(async () => {
  await fx.dispose();
});

function timeMs(work: () => unknown, repeat = 5): number {
  work(); // warm the page cache and the statement
  const started = performance.now();
  for (let i = 0; i < repeat; i++) work();
  return (performance.now() - started) / repeat;
}

describe('paging a 100,000-message folder', () => {
  it('uses the sort index for every key and direction (no temp B-tree, no full sort)', () => {
    const db = new Database(path.join(fx.dir.path, DATABASE_FILE), { readonly: true });
    try {
      for (const column of Object.values(SORT_COLUMNS)) {
        for (const direction of ['ASC', 'DESC']) {
          const plan = db
            .prepare(
              `EXPLAIN QUERY PLAN SELECT id FROM messages WHERE folder_id = ? ORDER BY ${column} ${direction}, id ${direction} LIMIT ? OFFSET ?`,
            )
            .all(fx.inbox.id, 50, 90_000)
            .map((row) => (row as { detail: string }).detail)
            .join(' | ');
          expect(plan, `${column} ${direction}`).toMatch(/USING (COVERING )?INDEX messages_page_by_/);
          expect(plan, `${column} ${direction}`).not.toMatch(/TEMP B-TREE/);
        }
      }
    } finally {
      db.close();
    }
  });

  it('prints page times at offsets 0, 50,000 and 90,000 and the cost of counting', () => {
    const lines: string[] = [];
    for (const by of ['date', 'sender', 'subject', 'size'] as const) {
      for (const direction of ['desc', 'asc'] as const satisfies readonly SortDirection[]) {
        const times = [0, 50_000, 90_000].map((offset) =>
          timeMs(() => fx.store.messages.page(fx.inbox.id, offset, 100, { by, direction })).toFixed(2),
        );
        lines.push(
          `  ${by.padEnd(7)} ${direction.padEnd(4)} offset 0: ${times[0]} ms, 50k: ${times[1]} ms, 90k: ${times[2]} ms`,
        );
      }
    }
    const page = fx.store.messages.page(fx.inbox.id, 90_000, 100, { by: 'date', direction: 'desc' });
    expect(page.total).toBe(ROWS);
    expect(page.rows).toHaveLength(100);

    const db = new Database(path.join(fx.dir.path, DATABASE_FILE), { readonly: true });
    try {
      const naive = db.prepare(
        'SELECT * FROM messages WHERE folder_id = ? ORDER BY date_ms DESC, id DESC LIMIT 100 OFFSET 90000',
      );
      const naiveMs = timeMs(() => naive.all(fx.inbox.id));
      const total = db.prepare('SELECT count(*) FROM messages WHERE folder_id = ?');
      const unread = db.prepare('SELECT count(*) FROM messages WHERE folder_id = ? AND is_seen = 0');
      const counter = db.prepare('SELECT total, unread FROM folder_counts WHERE folder_id = ?');
      lines.push(`  one-query OFFSET 90k reading whole rows: ${naiveMs.toFixed(2)} ms (for comparison)`);
      lines.push(
        `  indexed COUNT(*) total: ${timeMs(() => total.get(fx.inbox.id)).toFixed(2)} ms, unread: ${timeMs(() => unread.get(fx.inbox.id)).toFixed(2)} ms`,
      );
      lines.push(`  folder_counts (trigger-kept): ${timeMs(() => counter.get(fx.inbox.id)).toFixed(3)} ms`);
      expect(counter.get(fx.inbox.id)).toEqual({ total: ROWS, unread: ROWS / 4 });
    } finally {
      db.close();
    }
    console.log(`paging ${ROWS} messages, 100 rows per page:\n${lines.join('\n')}`);
  });
});
