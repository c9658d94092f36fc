// The outbox keeps every message until the server took it, across failures and restarts, against
// real Postfix and Dovecot: with Postfix stopped the message waits, survives closing the app and
// goes exactly once when Postfix is back; a wrong password, a refused recipient and a message over
// the server's SIZE each stop with the server's words and the message kept; a POP3 account's copy
// goes to its own local Sent folder.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFolderId } from '../../../../src-main/domain/ids';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';
import { addAccount, findBySubject, startApp, waitForOutbox, type RunningApp } from './sending-kit';

const CHUNK = 1024 * 1024;

let servers: MailServers;
let dataDir: TempDir;
let keyDir: TempDir;
let running: RunningApp;
let aliceAccount: number;

beforeAll(async () => {
  [servers, dataDir, keyDir] = await Promise.all([
    startMailServers(),
    makeTempDir('estafeta-outbox-'),
    makeTempDir('estafeta-outbox-keys-'),
  ]);
  running = await startApp(dataDir.path, keyDir.path);
  aliceAccount = await addAccount(running, servers, 'alice');
}, 120_000);

afterAll(async () => {
  await running?.app.close();
  await servers?.stop();
  await dataDir?.remove();
  await keyDir?.remove();
});

const token = (): string => randomBytes(5).toString('hex');

async function compose(accountId: number, to: string, subject: string, attachment?: Buffer): Promise<number> {
  const start = await running.call('compose.start', { request: { kind: 'new' } });
  const identity = start.identities.find((i) => i.accountId === accountId);
  if (attachment) {
    const { uploadId } = await running.call('compose.attachBegin', {
      composeId: start.composeId,
      fileName: 'big.bin',
      contentType: 'application/octet-stream',
      size: attachment.length,
    });
    for (let offset = 0; offset < attachment.length; offset += CHUNK) {
      await running.call('compose.attachChunk', {
        uploadId,
        data: attachment.subarray(offset, offset + CHUNK).toString('base64'),
      });
    }
    await running.call('compose.attachFinish', { uploadId });
  }
  const { outboxId } = await running.call('compose.send', {
    composeId: start.composeId,
    fields: { ...start.fields, identityId: identity?.id ?? '', to: [{ name: '', address: to }], subject },
  });
  return outboxId;
}

describe('the outbox', () => {
  it('keeps a message while Postfix is down, across a restart, and delivers it exactly once when it is back', async () => {
    const tag = token();
    await servers.stopPostfix();
    try {
      const outboxId = await compose(aliceAccount, servers.address('bob'), `Waiting ${tag}`);
      const waiting = await waitForOutbox(running, (items) =>
        items.some((i) => i.id === outboxId && i.state === 'queued' && i.attempts >= 1),
      );
      expect(waiting.find((i) => i.id === outboxId)?.error?.code).toBe('CONNECT_FAILED');
      // It is in the Local Folders Outbox, for the user to see.
      const folders = await running.call('folders.list', {});
      const outboxFolder = folders.find((f) => f.role === 'outbox');
      expect(outboxFolder?.total).toBeGreaterThanOrEqual(1);

      await running.app.close();
      running = await startApp(dataDir.path, keyDir.path);
      expect((await running.call('outbox.list', {})).map((i) => i.id)).toContain(outboxId);
    } finally {
      await servers.startPostfix();
    }
    await waitForOutbox(running, (items) => items.length === 0);
    // The Sent copy is saved after delivery: by then any duplicate would have been delivered too.
    await findBySubject(servers, 'alice', 'Sent', tag);
    expect(await findBySubject(servers, 'bob', 'INBOX', tag)).toHaveLength(1);
    const outboxFolder = (await running.call('folders.list', {})).find((f) => f.role === 'outbox');
    expect(outboxFolder?.total).toBe(0);
  }, 180_000);

  it("stops on a refused recipient with the server's words, keeps the message, and lets the user fix it", async () => {
    const nobody = `nobody-${token()}@example.test`;
    const tag = token();
    const outboxId = await compose(aliceAccount, nobody, `Refused ${tag}`);
    const items = await waitForOutbox(running, (list) =>
      list.some((i) => i.id === outboxId && i.state === 'failed'),
    );
    const item = items.find((i) => i.id === outboxId);
    expect(item?.error?.code).toBe('SERVER_REJECTED');
    expect(item?.error?.message).toContain(nobody);
    expect(item?.error?.detail).toMatch(/^550 .*(unknown|rejected)/im);
    // Kept until the user acts: "Edit" turns it back into a draft in the composer.
    const edit = await running.call('compose.start', { request: { kind: 'outbox', outboxId } });
    expect(edit.fields.to.map((a) => a.address)).toEqual([nobody]);
    expect(edit.draftMessageId).not.toBeNull();
    expect((await running.call('outbox.list', {})).map((i) => i.id)).not.toContain(outboxId);
    await running.call('compose.send', {
      composeId: edit.composeId,
      fields: { ...edit.fields, to: [{ name: '', address: servers.address('bob') }] },
    });
    await waitForOutbox(running, (list) => list.length === 0);
    expect(await findBySubject(servers, 'bob', 'INBOX', tag)).toHaveLength(1);
    // The draft it became is gone once sent (the local copy; the server's is checked in sending.test.ts).
    const local = (await running.call('accounts.list', {})).find((a) => a.kind === 'local');
    const drafts = (await running.call('folders.list', { accountId: local?.id ?? 0 })).find(
      (f) => f.role === 'drafts',
    );
    const left = running.app.store.messages.page(asFolderId(drafts?.id ?? 0), 0, 10).rows;
    expect(left.map((r) => [r.subject, r.messageIdHeader])).toEqual([]);
    expect(drafts?.total).toBe(0);
  });

  it("refuses a message over the server's SIZE before sending it, and keeps it", async () => {
    // 38 MB in base64 is over the fixture's 50 MB limit.
    const outboxId = await compose(
      aliceAccount,
      servers.address('bob'),
      `Too large ${token()}`,
      randomBytes(38 * CHUNK),
    );
    const items = await waitForOutbox(running, (list) =>
      list.some((i) => i.id === outboxId && i.state === 'failed'),
    );
    const item = items.find((i) => i.id === outboxId);
    expect(item?.error).toMatchObject({
      code: 'SERVER_REJECTED',
      message: 'The message is larger than the server accepts (50 MB max).',
    });
    expect(item?.error?.detail).toContain('52428800');
    await running.call('outbox.remove', { outboxId });
  }, 120_000);

  it("stops on a wrong password with the server's words, and sends after the retry once it is fixed", async () => {
    const carolAccount = await addAccount(running, servers, 'carol', { password: 'not-the-password' });
    const tag = token();
    const outboxId = await compose(carolAccount, servers.address('bob'), `Wrong password ${tag}`);
    const items = await waitForOutbox(running, (list) =>
      list.some((i) => i.id === outboxId && i.state === 'failed'),
    );
    const item = items.find((i) => i.id === outboxId);
    expect(item?.error?.code).toBe('AUTH_FAILED');
    expect(item?.error?.detail).toMatch(/535/);
    expect(JSON.stringify(item)).not.toContain('not-the-password');

    const { setup } = await running.call('accounts.get', { accountId: carolAccount });
    await running.call('accounts.update', { accountId: carolAccount, setup, password: servers.password });
    await running.call('outbox.retry', { outboxId });
    await waitForOutbox(running, (list) => !list.some((i) => i.id === outboxId));
    expect(await findBySubject(servers, 'bob', 'INBOX', tag)).toHaveLength(1);
  }, 120_000);

  it("puts a POP3 account's sent message in its own local Sent folder", async () => {
    const sinkAccount = await addAccount(running, servers, 'sink', { protocol: 'pop3' });
    const tag = token();
    await compose(sinkAccount, servers.address('bob'), `From POP3 ${tag}`);
    await waitForOutbox(running, (list) => list.length === 0);
    const store = running.app.store;
    const sent = store.folders.findByRole(sinkAccount as never, 'sent');
    const rows = store.messages.page(asFolderId(sent?.id ?? 0), 0, 50).rows;
    expect(rows.filter((r) => r.subject === `From POP3 ${tag}`).map((r) => r.flags.seen)).toEqual([true]);
    expect(await findBySubject(servers, 'bob', 'INBOX', tag)).toHaveLength(1);
  }, 120_000);
});
