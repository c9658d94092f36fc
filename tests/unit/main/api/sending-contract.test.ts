/**
 * The Sending methods (sending-contract.ts) over both transports, Electron IPC and the browser-mode
 * WebSocket, on a real store: composing, chunked attachments, drafts kept and reopened, sending into
 * the outbox (the server here is a closed port, so the message waits with the error), retrying and
 * removing, address completion, and typed errors for bad requests. Every result matches its schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type ParamsOf, type ResultOf } from '../../../../src-main/api/contract';
import { ipcClient, webSocketClient, type TransportClient } from '../../../support/api-transports';
import { freePort } from '../../../support/free-port';

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

const WAIT_MS = 10_000;

async function waitForOutbox(client: TransportClient, done: (items: ResultOf<'outbox.list'>) => boolean) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const items = await checked(client, 'outbox.list', {});
    if (done(items)) return items;
    if (Date.now() > deadline) throw new Error(`outbox: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const transports: Array<[string, () => Promise<TransportClient>]> = [
  ['Electron IPC', () => ipcClient()],
  ['browser-mode WebSocket', () => webSocketClient()],
];

describe.each(transports)('Sending API over %s', (_name, connect) => {
  let client: TransportClient;
  let closedPort: number;

  beforeAll(async () => {
    client = await connect();
    closedPort = await freePort();
  });
  afterAll(async () => {
    await client.close();
  });

  it('refuses to compose before there is an account, and answers bad requests with typed errors', async () => {
    expect(await client.raw('compose.start', { request: { kind: 'new' } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Add an email account before writing a message.' },
    });
    expect(await client.raw('compose.saveDraft', { composeId: 'zz', fields: {} })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await client.raw('compose.close', { composeId: 'abc', discardDraft: false })).toMatchObject({
      ok: true,
    });
    expect(await client.raw('compose.attachChunk', { uploadId: 'abc', data: 'not base64!' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await client.raw('outbox.retry', { outboxId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await checked(client, 'outbox.list', {})).toEqual([]);
  });

  it('composes with an attachment, keeps and reopens the draft, and sends into the outbox', async () => {
    const email = 'ana@example.test';
    const account = await checked(client, 'accounts.create', {
      setup: {
        name: 'Ana Torres',
        email,
        incoming: { protocol: 'pop3', host: '127.0.0.1', port: closedPort, security: 'tls', username: email },
        outgoing: { host: '127.0.0.1', port: closedPort, security: 'starttls', username: email },
        pop3: { leaveOnServer: true },
        signature: 'Ana — Estafeta',
      },
      password: 'pw-123456',
    });
    const start = await checked(client, 'compose.start', { request: { kind: 'new' } });
    expect(start.identities.map((i) => [i.accountId, i.email])).toEqual([[account.id, email]]);
    expect(start.fields.text).toBe('\n\n-- \nAna — Estafeta\n');

    const bytes = Buffer.from('ñ'.repeat(5000));
    const { uploadId } = await checked(client, 'compose.attachBegin', {
      composeId: start.composeId,
      fileName: 'notas ñ.txt',
      contentType: 'text/plain',
      size: bytes.length,
    });
    for (let offset = 0; offset < bytes.length; offset += 997) {
      await checked(client, 'compose.attachChunk', {
        uploadId,
        data: bytes.subarray(offset, offset + 997).toString('base64'),
      });
    }
    const attachment = await checked(client, 'compose.attachFinish', { uploadId });
    expect(attachment).toMatchObject({ filename: 'notas ñ.txt', size: bytes.length });

    const fields = {
      ...start.fields,
      to: [{ name: 'Bob', address: 'bob@example.test' }],
      subject: 'Plans',
      text: `Hello${start.fields.text}`,
    };
    const saved = await checked(client, 'compose.saveDraft', { composeId: start.composeId, fields });
    expect(saved.isOnServer).toBeNull();
    await checked(client, 'compose.close', { composeId: start.composeId, discardDraft: false });
    const drafts = (await checked(client, 'folders.list', { accountId: account.id })).find(
      (f) => f.role === 'drafts',
    );
    expect(drafts?.total).toBe(1);

    const reopened = await checked(client, 'compose.start', {
      request: { kind: 'draft', messageId: saved.draftMessageId },
    });
    expect(reopened.fields).toMatchObject({ to: fields.to, subject: 'Plans' });
    expect(reopened.attachments).toMatchObject([{ filename: 'notas ñ.txt', size: bytes.length }]);
    await checked(client, 'compose.removeAttachment', {
      composeId: reopened.composeId,
      attachmentId: reopened.attachments[0]?.id ?? '',
    });

    client.events.length = 0;
    const { outboxId } = await checked(client, 'compose.send', {
      composeId: reopened.composeId,
      fields: reopened.fields,
    });
    expect(client.events).toContainEqual({ event: 'outbox.changed', payload: {} });
    // Nothing listens on the port: the message waits in the Outbox with the reason.
    const items = await waitForOutbox(client, (list) =>
      list.some((i) => i.id === outboxId && i.attempts >= 1 && i.state === 'queued'),
    );
    expect(items.find((i) => i.id === outboxId)).toMatchObject({
      subject: 'Plans',
      recipients: ['bob@example.test'],
      error: { code: 'CONNECT_FAILED' },
    });
    const outboxFolder = (await checked(client, 'folders.list', {})).find((f) => f.role === 'outbox');
    expect(outboxFolder?.total).toBe(1);
    // The composer is closed once the message is in the Outbox.
    expect(
      await client.raw('compose.saveDraft', { composeId: reopened.composeId, fields: reopened.fields }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    expect(await checked(client, 'outbox.retry', { outboxId })).toEqual({});
    await waitForOutbox(client, (list) => list.some((i) => i.id === outboxId && i.state !== 'sending'));
    expect(await checked(client, 'outbox.remove', { outboxId })).toEqual({});
    expect(await checked(client, 'outbox.list', {})).toEqual([]);
    expect((await checked(client, 'folders.list', {})).find((f) => f.role === 'outbox')?.total).toBe(0);
  });

  it('completes addresses from the mail already here, and Electron picks attachments natively only there', async () => {
    const found = await checked(client, 'addresses.complete', { query: 'BOB', limit: 5 });
    expect(found).toEqual([{ name: 'Bob', address: 'bob@example.test' }]);
    expect(await checked(client, 'addresses.complete', { query: '%', limit: 5 })).toEqual([]);
    const start = await checked(client, 'compose.start', { request: { kind: 'new' } });
    expect(await client.raw('compose.chooseFiles', { composeId: start.composeId })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    await checked(client, 'compose.close', { composeId: start.composeId, discardDraft: true });
  });
});
