/**
 * The list methods (list-contract.ts) over both transports on a real store: the unified Inbox
 * across accounts, the conversation view and its thread members, and typed errors for bad scopes.
 * Every result matches its schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type ParamsOf, type ResultOf } from '../../../../src-main/api/contract';
import { ipcClient, webSocketClient, type TransportClient } from '../../../support/api-transports';
import { newMessage } from '../store/store-fixture';

async function checked<M extends MethodName>(
  client: TransportClient,
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const result = await client.call(method, params);
  const parsed = methods[method].result.safeParse(result);
  if (!parsed.success) throw new Error(`${method} result does not match its schema: ${parsed.error.message}`);
  return result;
}

const transports: Array<[string, () => Promise<TransportClient>]> = [
  ['Electron IPC', () => ipcClient()],
  ['browser-mode WebSocket', () => webSocketClient()],
];

describe.each(transports)('List API over %s', (_name, connect) => {
  let client: TransportClient;
  let localInbox: number;

  beforeAll(async () => {
    client = await connect();
    const { store } = client.app;
    const inbox = store.folders.list().find((folder) => folder.role === 'inbox')!;
    localInbox = inbox.id;
    const work = store.accounts.insert({ kind: 'local', displayName: 'Other', email: null });
    const otherInbox = store.folders.insert({
      accountId: work.id,
      parentId: null,
      name: 'Inbox',
      path: 'INBOX',
      delimiter: '/',
      role: 'inbox',
    });
    store.transaction(() => {
      // Local Inbox: a thread of two (1, 2) and a single (3); the other Inbox: 4 in thread t1.
      store.messages.insert(newMessage(inbox, 1, { threadKey: 'id:t1' }));
      store.messages.insert(newMessage(inbox, 2, { threadKey: 'id:t1' }));
      store.messages.insert(newMessage(inbox, 3, { threadKey: 'id:t3' }));
      store.messages.insert(newMessage(otherInbox, 4, { threadKey: 'id:t1' }));
    });
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists every Inbox together, newest first', async () => {
    const page = await checked(client, 'messages.listPage', {
      scope: { allInboxes: true },
      offset: 0,
      limit: 10,
      sort: { by: 'date', direction: 'desc' },
    });
    expect(page.total).toBe(4);
    expect(page.rows.map((row) => row.subject)).toEqual(['Subject 4', 'Subject 3', 'Subject 2', 'Subject 1']);
    expect(page.rows.every((row) => row.threadSize === 1)).toBe(true);
  });

  it("groups a folder by thread and lists a thread's members within the scope", async () => {
    const page = await checked(client, 'messages.listPage', {
      scope: { folderId: localInbox },
      threaded: true,
      offset: 0,
      limit: 10,
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((row) => [row.subject, row.threadSize, row.threadUnread])).toEqual([
      ['Subject 3', 1, 1],
      ['Subject 2', 2, 2],
    ]);
    const thread = page.rows[1]!;
    const members = await checked(client, 'messages.threadMembers', {
      messageIds: [thread.id],
      scope: { folderId: localInbox },
    });
    expect(members.rows.map((row) => row.subject)).toEqual(['Subject 1', 'Subject 2']);
    // Across every Inbox the thread also has the other account's message.
    const everywhere = await checked(client, 'messages.threadMembers', {
      messageIds: [thread.id],
      scope: { allInboxes: true },
    });
    expect(everywhere.rows.map((row) => row.subject)).toEqual(['Subject 1', 'Subject 2', 'Subject 4']);
  });

  it('answers a missing folder and a bad scope with typed errors', async () => {
    expect(
      await client.raw('messages.listPage', { scope: { folderId: 999_999 }, offset: 0, limit: 10 }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await client.raw('messages.listPage', { scope: { allInboxes: false }, offset: 0, limit: 10 }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await client.raw('messages.listPage', { scope: { allInboxes: true }, offset: 0, limit: 501 }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await client.raw('messages.threadMembers', { messageIds: [], scope: { allInboxes: true } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });
});
