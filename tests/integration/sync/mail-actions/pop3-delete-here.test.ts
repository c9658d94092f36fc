// POP3 "Leave messages on server" + "delete from server when I delete it here", with the deletes
// of the message actions (to Trash, for good, emptying Trash) on real Dovecot: what the user
// deleted here leaves the server at the next check, what was only moved stays.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapActionQueue } from '../../../../src-main/sync/imap-actions';
import { MessageActions } from '../../../../src-main/sync/mail-actions';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import {
  deliverMessages,
  emptyMaildrop,
  maildropCount,
  openPop3Kit,
  type Pop3Kit,
} from '../pop3-fetch/pop3-fetch-kit';

let servers: MailServers;
let kit: Pop3Kit | undefined;

beforeAll(async () => {
  servers = await startMailServers();
});

afterAll(async () => {
  await servers?.stop();
});

afterEach(async () => {
  await kit?.dispose();
});

describe('POP3 deletes made with the message actions', () => {
  it('deleted here (to Trash, for good, by emptying Trash) leaves the server; moved stays', async () => {
    await emptyMaildrop(servers, 'carol');
    kit = await openPop3Kit(servers, 'carol');
    const delivered = await deliverMessages(servers, 'carol', 5, 'actions');
    const leave = kit.settings({ leaveOnServer: true });
    expect(await kit.fetcher.checkMail(leave)).toMatchObject({ downloaded: 5 });
    const actions = new MessageActions({ store: kit.store, queue: new ImapActionQueue(kit.store) });
    const idOf = (n: number) => {
      const row = kit!.rows().find((r) => r.messageIdHeader === delivered[n]?.messageId);
      if (!row) throw new Error(`message ${n} not stored`);
      return row.id;
    };
    const [toTrash, forGood, emptied, moved] = [idOf(0), idOf(1), idOf(2), idOf(3)];
    const trash = kit.store.folders.findByRole(kit.accountId, 'trash')!;
    const sent = kit.store.folders.findByRole(kit.accountId, 'sent')!;

    await actions.delete([toTrash], false);
    await actions.delete([forGood], true);
    await actions.move([emptied], trash.id);
    await actions.empty(trash.id); // takes toTrash and emptied for good
    await actions.move([moved], sent.id);

    const result = await kit.fetcher.checkMail(
      kit.settings({ leaveOnServer: true, deleteWhenDeletedHere: true }),
    );
    expect(result).toMatchObject({ downloaded: 0, deletedFromServer: 3, keptOnServer: 2 });
    expect(await maildropCount(servers, 'carol')).toBe(2);
    expect(
      kit
        .rows()
        .map((r) => r.messageIdHeader)
        .sort(),
    ).toEqual([delivered[3]!.messageId, delivered[4]!.messageId].sort());
    // Nothing deleted here comes back with later checks.
    expect(await kit.fetcher.checkMail(leave)).toMatchObject({ downloaded: 0 });
  });
});
