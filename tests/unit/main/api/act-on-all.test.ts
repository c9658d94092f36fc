/**
 * messages.actOnAll (issue 7): "select all" in the list, then an action, resolved in main over a
 * real store, so the list never loads a folder's ids. Every message of the scope but the
 * exceptions is changed; other folders are not touched; bad requests get typed errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Folder } from '../../../../src-main/domain/folder';
import { ipcClient, webSocketClient, type TransportClient } from '../../../support/api-transports';
import { newMessage } from '../store/store-fixture';
import { rawMessage } from '../sync/mail-actions/mail-actions-kit';

const transports: Array<[string, () => Promise<TransportClient>]> = [
  ['Electron IPC', () => ipcClient()],
  ['browser-mode WebSocket', () => webSocketClient()],
];

const IN_INBOX = 25;

describe.each(transports)('messages.actOnAll over %s', (_name, connect) => {
  let client: TransportClient;
  let inbox: Folder;
  let archive: Folder;
  let inboxIds: number[];
  let elsewhereId: number;

  const subjectsIn = (folderId: number): string[] =>
    client.app.store.messages.page(folderId as never, 0, 1000).rows.map((row) => row.subject);

  beforeEach(async () => {
    client = await connect();
    const { store } = client.app;
    inbox = store.folders.list().find((folder) => folder.role === 'inbox')!;
    archive = store.folders.insert({
      accountId: inbox.accountId,
      parentId: null,
      name: 'Kept',
      path: 'Kept',
      delimiter: '/',
      role: null,
    });
    inboxIds = [];
    store.transaction(() => {
      for (let n = 1; n <= IN_INBOX; n++) inboxIds.push(store.messages.insert(newMessage(inbox, n)));
      elsewhereId = store.messages.insert(newMessage(archive, 100));
    });
  });
  afterEach(async () => {
    await client.close();
  });

  it('moves every message of the folder but the exceptions', async () => {
    const kept = [inboxIds[0]!, inboxIds[7]!];
    const result = await client.call('messages.actOnAll', {
      scope: { folderId: inbox.id },
      except: kept,
      action: 'move',
      folderId: archive.id,
    });
    expect(result.count).toBe(IN_INBOX - 2);
    expect(subjectsIn(inbox.id).sort()).toEqual(['Subject 1', 'Subject 8']);
    expect(subjectsIn(archive.id)).toHaveLength(IN_INBOX - 2 + 1);
  });

  it('marks the whole folder read, then unread, without touching other folders', async () => {
    expect(
      (await client.call('messages.actOnAll', { scope: { folderId: inbox.id }, action: 'markRead' })).count,
    ).toBe(IN_INBOX);
    const { store } = client.app;
    expect(inboxIds.every((id) => store.messages.get(id as never)?.flags.seen === true)).toBe(true);
    expect(store.messages.get(elsewhereId as never)?.flags.seen).toBe(false);
    await client.call('messages.actOnAll', {
      scope: { folderId: inbox.id },
      except: [inboxIds[3]!],
      action: 'markUnread',
    });
    expect(store.messages.get(inboxIds[3]! as never)?.flags.seen).toBe(true);
    expect(store.messages.get(inboxIds[4]! as never)?.flags.seen).toBe(false);
  });

  it('deletes every message of All Inboxes to Trash', async () => {
    const result = await client.call('messages.actOnAll', {
      scope: { allInboxes: true },
      action: 'delete',
    });
    expect(result.count).toBe(IN_INBOX);
    expect(subjectsIn(inbox.id)).toEqual([]);
    const trash = client.app.store.folders.list().find((folder) => folder.role === 'trash')!;
    expect(subjectsIn(trash.id)).toHaveLength(IN_INBOX);
    expect(subjectsIn(archive.id)).toEqual(['Subject 100']);
  });

  it('flags the whole folder but the exceptions, then unflags it, without touching other folders', async () => {
    const { store } = client.app;
    const flagged = (id: number) => store.messages.get(id as never)?.flags.flagged;
    const result = await client.call('messages.actOnAll', {
      scope: { folderId: inbox.id },
      except: [inboxIds[2]!],
      action: 'flag',
    });
    expect(result.count).toBe(IN_INBOX - 1);
    expect(flagged(inboxIds[0]!)).toBe(true);
    expect(flagged(inboxIds[2]!)).toBe(false);
    expect(flagged(elsewhereId)).toBe(false);
    await client.call('messages.actOnAll', { scope: { folderId: inbox.id }, action: 'unflag' });
    expect(inboxIds.some((id) => flagged(id))).toBe(false);
  });

  it('copies every message of a folder but the exceptions, keeping the originals', async () => {
    const { store } = client.app;
    const source = store.folders.insert({
      accountId: inbox.accountId,
      parentId: null,
      name: 'Source',
      path: 'Source',
      delimiter: '/',
      role: null,
    });
    const sourceIds: number[] = [];
    for (let n = 1; n <= 3; n++) {
      const raw = rawMessage(200 + n);
      const emlPath = await store.emlFiles.write(raw);
      sourceIds.push(store.messages.insert(newMessage(source, 200 + n, { emlPath, size: raw.length })));
    }
    const result = await client.call('messages.actOnAll', {
      scope: { folderId: source.id },
      except: [sourceIds[1]!],
      action: 'copy',
      folderId: archive.id,
    });
    expect(result.count).toBe(2);
    expect(subjectsIn(source.id)).toHaveLength(3);
    expect(subjectsIn(archive.id).sort()).toEqual(['Subject 100', 'Subject 201', 'Subject 203']);
  });

  it('refuses a move without a target, a missing folder and a bad action', async () => {
    expect(
      await client.raw('messages.actOnAll', { scope: { folderId: inbox.id }, action: 'copy' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Choose a folder to copy the messages to.' },
    });
    expect(
      await client.raw('messages.actOnAll', { scope: { folderId: inbox.id }, action: 'move' }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      await client.raw('messages.actOnAll', { scope: { folderId: 999_999 }, action: 'delete' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await client.raw('messages.actOnAll', {
        scope: { folderId: inbox.id },
        action: 'move',
        folderId: 999_999,
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await client.raw('messages.actOnAll', { scope: { folderId: inbox.id }, action: 'explode' }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(subjectsIn(inbox.id)).toHaveLength(IN_INBOX);
  });
});
