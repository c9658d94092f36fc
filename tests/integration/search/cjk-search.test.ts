/**
 * Chinese, Japanese and Korean search end to end below the UI: messages in the charsets such mail
 * really arrives in (ISO-2022-JP, GB2312 in base64, EUC-KR in quoted-printable) are stored as .eml
 * files the way ingest stores them, indexed by the background indexer from those files (MIME
 * decoding, text extraction, bigrams), and found through the API's `search.run` handler by a word
 * inside a longer run, with the word handed back for highlighting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchHandlers } from '../../../src-main/api/search-handlers';
import { SearchSystem } from '../../../src-main/search/search-system';
import { SqliteMailStore } from '../../../src-main/store/mail-store';
import { parseForIngest, toNewMessage } from '../../../src-main/sync/message-ingest';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

let dir: TempDir;
let store: SqliteMailStore;
let search: SearchSystem;
let handlers: ReturnType<typeof createSearchHandlers>;

/** ISO-2022-JP: ESC $ B switches to JIS X 0208, ESC ( B back to ASCII. */
function iso2022jp(jisHex: string): string {
  return `\x1b$B${Buffer.from(jisHex, 'hex').toString('latin1')}\x1b(B`;
}

const MESSAGES: Record<string, Buffer> = {
  // Subject 東京出張 and body 東京都に行きます, both in ISO-2022-JP (JIS X 0208 codes).
  japanese: Buffer.from(
    [
      'From: Taro <taro@example.jp>',
      'To: alice@example.test',
      `Subject: =?ISO-2022-JP?B?${Buffer.from(iso2022jp('456C357E3D504425'), 'latin1').toString('base64')}?=`,
      'Date: Mon, 06 Jan 2025 09:00:00 +0900',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-2022-JP',
      'Content-Transfer-Encoding: 7bit',
      '',
      iso2022jp('456C357E4554244B3954242D245E2439'),
      '',
    ].join('\r\n'),
    'latin1',
  ),
  // 我们明天在北京开会 in GB2312, base64.
  chinese: Buffer.from(
    [
      'From: Li <li@example.cn>',
      'To: alice@example.test',
      'Subject: Meeting',
      'Date: Tue, 07 Jan 2025 09:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=GB2312',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('CED2C3C7C3F7CCECD4DAB1B1BEA9BFAABBE1', 'hex').toString('base64'),
      '',
    ].join('\r\n'),
    'latin1',
  ),
  // 서울에서 in EUC-KR, quoted-printable.
  korean: Buffer.from(
    [
      'From: Kim <kim@example.kr>',
      'To: alice@example.test',
      'Subject: Seoul trip',
      'Date: Wed, 08 Jan 2025 09:00:00 +0900',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=EUC-KR',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '=BC=AD=BF=EF=BF=A1=BC=AD meeting',
      '',
    ].join('\r\n'),
    'latin1',
  ),
};

beforeAll(async () => {
  dir = await makeTempDir('estafeta-cjk-search-');
  store = SqliteMailStore.open(dir.path);
  const { folders } = store.ensureLocalFolders();
  const inbox = folders.find((folder) => folder.role === 'inbox')!;
  for (const raw of Object.values(MESSAGES)) {
    const emlPath = await store.emlFiles.write(raw);
    store.transaction(() =>
      store.messages.insert(
        toNewMessage(parseForIngest(raw), inbox, {
          emlPath,
          size: raw.length,
          receivedAt: Date.UTC(2025, 0, 9),
          flags: {
            seen: false,
            flagged: false,
            answered: false,
            forwarded: false,
            draft: false,
            deleted: false,
            keywords: [],
          },
        }),
      ),
    );
  }
  search = new SearchSystem({ store, onProgress: () => undefined, openImap: null });
  await search.indexer.schedule();
  handlers = createSearchHandlers({ store, search });
});

afterAll(async () => {
  await search?.stop();
  store?.close();
  await dir?.remove();
});

async function subjects(query: string): Promise<string[]> {
  const result = await handlers['search.run']({
    query,
    scope: { kind: 'all' },
    order: 'date',
    offset: 0,
    limit: 50,
  });
  return result.rows.map((row) => row.subject).sort();
}

describe('CJK search over real MIME charsets', () => {
  it('indexed every message from its file', () => {
    expect(store.search.pendingCount()).toBe(0);
  });

  it('finds Japanese, Chinese and Korean words inside longer runs', async () => {
    expect(await subjects('東京')).toEqual(['東京出張']);
    expect(await subjects('行きます')).toEqual(['東京出張']);
    expect(await subjects('subject:出張')).toEqual(['東京出張']);
    expect(await subjects('北京')).toEqual(['Meeting']);
    expect(await subjects('서울')).toEqual(['Seoul trip']);
    expect(await subjects('서울 meeting')).toEqual(['Seoul trip']);
    expect(await subjects('大阪')).toEqual([]);
  });

  it('hands the word back for highlighting', async () => {
    const result = await handlers['search.run']({
      query: '北京',
      scope: { kind: 'all' },
      order: 'date',
      offset: 0,
      limit: 50,
    });
    expect(result.highlightTerms).toEqual(['北京']);
    expect(result.total).toBe(1);
  });
});
