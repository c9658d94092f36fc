/**
 * The mail-action methods through the real API over both transports: results match their schemas,
 * the UI is told what changed (counts.changed, messages.changed, folders.changed), and bad
 * requests come back as typed errors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type ParamsOf, type ResultOf } from '../../../../../src-main/api/contract';
import { ipcClient, webSocketClient, type TransportClient } from '../../../../support/api-transports';

const EML = path.resolve(__dirname, '../../../../fixtures/eml/plain-utf8.eml');

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

describe.each([
  ['Electron IPC', () => ipcClient()],
  ['browser-mode WebSocket', () => webSocketClient()],
])('mail actions over %s', (_name, connect) => {
  let client: TransportClient;
  const folderId = async (name: string): Promise<number> =>
    (await checked(client, 'folders.list', {})).find((f) => f.name === name)?.id ?? 0;

  beforeAll(async () => {
    client = await connect();
  });
  afterAll(async () => {
    await client?.close();
  });

  it('moves, copies, archives and deletes a message, announcing the folders that changed', async () => {
    const inbox = await folderId('Inbox');
    const bytes = await readFile(EML);
    const { importId } = await checked(client, 'import.begin', {
      folderId: inbox,
      fileName: 'a.eml',
      format: 'eml',
      size: bytes.length,
    });
    await checked(client, 'import.chunk', { importId, data: bytes.toString('base64') });
    await checked(client, 'import.finish', { importId });
    const [row] = (await checked(client, 'messages.page', { folderId: inbox, offset: 0, limit: 10 })).rows;
    const sent = await folderId('Sent');

    client.events.length = 0;
    expect(await checked(client, 'messages.move', { messageIds: [row!.id], folderId: sent })).toEqual({
      moved: 1,
    });
    expect(client.events).toContainEqual({
      event: 'messages.changed',
      payload: { folderIds: [inbox, sent] },
    });
    expect(await checked(client, 'messages.copy', { messageIds: [row!.id], folderId: inbox })).toEqual({
      copied: 1,
    });
    expect(await checked(client, 'messages.archive', { messageIds: [row!.id] })).toEqual({ archived: 1 });
    expect(client.events.some((e) => e.event === 'folders.changed')).toBe(true);
    const archive = await folderId('Archive');
    expect((await checked(client, 'folders.list', {})).find((f) => f.id === archive)?.total).toBe(1);
    expect(await checked(client, 'messages.delete', { messageIds: [row!.id] })).toEqual({ deleted: 1 });
    const trash = await folderId('Trash');
    expect(await checked(client, 'folders.empty', { folderId: trash })).toEqual({ deleted: 1 });
    const totals = (await checked(client, 'folders.list', {})).map((f) => [f.name, f.total]);
    expect(totals).toEqual(
      expect.arrayContaining([
        ['Inbox', 1],
        ['Trash', 0],
        ['Archive', 0],
        ['Sent', 0],
      ]),
    );
  });

  it('creates, renames and deletes folders, and refuses what it cannot do with a typed error', async () => {
    const localId = (await checked(client, 'accounts.list', {}))[0]!.id;
    const { folderId: work } = await checked(client, 'folders.create', {
      accountId: localId,
      parentId: null,
      name: 'Work',
    });
    const { folderId: child } = await checked(client, 'folders.create', {
      accountId: localId,
      parentId: work,
      name: 'Reports',
    });
    await checked(client, 'folders.rename', { folderId: work, name: 'Job' });
    const listed = await checked(client, 'folders.list', {});
    expect(listed.find((f) => f.id === child)).toMatchObject({ path: 'Job/Reports', parentId: work });
    const duplicate = await client.raw('folders.create', { accountId: localId, parentId: null, name: 'Job' });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const special = await client.raw('folders.delete', { folderId: await folderId('Inbox') });
    expect(special).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await client.raw('messages.move', { messageIds: [1], folderId: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await checked(client, 'folders.delete', { folderId: work });
    expect((await checked(client, 'folders.list', {})).some((f) => f.id === work || f.id === child)).toBe(
      false,
    );
  });
});
