// Changes replayed to real Dovecot: flags, copy and move with the COPYUID map, delete-forever of
// exactly the chosen messages, and APPEND with its APPENDUID.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import {
  addFlags,
  append,
  copy,
  deleteForever,
  folderStatus,
  move,
  removeFlags,
  setFlags,
  type ImapSession,
} from '../../../../src-main/protocols/imap';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { buildTestMessage } from '../../../support/seed-mailbox';
import { connectAs, otherDevice } from './imap-test-kit';

let servers: MailServers;
let session: ImapSession;
let device: ImapFlow;

beforeAll(async () => {
  servers = await startMailServers();
  session = await connectAs(servers, 'alice');
  device = await otherDevice(servers, 'alice');
});

afterAll(async () => {
  await session?.logout();
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

const message = (subject: string): Buffer =>
  buildTestMessage({ from: 'bob@example.test', to: 'alice@example.test', subject, text: `${subject}\r\n` });

/** UID -> flags and subject, as another device sees the folder. */
async function seen(path: string): Promise<Map<number, { flags: string[]; subject: string }>> {
  const lock = await device.getMailboxLock(path);
  try {
    // RFC 3501 §7.4.1: expunges reach a client only between commands other than FETCH/STORE/SEARCH.
    await device.noop();
    const result = new Map<number, { flags: string[]; subject: string }>();
    if (device.mailbox === false || device.mailbox.exists === 0) return result;
    for await (const row of device.fetch('1:*', { uid: true, flags: true, envelope: true })) {
      const flags = [...(row.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(); // session state
      result.set(row.uid, { flags, subject: row.envelope?.subject ?? '' });
    }
    return result;
  } finally {
    lock.release();
  }
}

let uids: number[];

beforeEach(async () => {
  uids = [];
  for (const subject of ['first', 'second', 'third']) {
    const appended = await append(
      session,
      'INBOX',
      message(subject),
      ['\\Seen'],
      new Date('2024-05-01T10:00:00Z'),
    );
    if (appended.uid === null) throw new Error('APPENDUID expected from Dovecot');
    uids.push(appended.uid);
  }
});

describe('append', () => {
  it('returns the new UID and UIDVALIDITY, with the flags and date given', async () => {
    const status = await folderStatus(session, 'Drafts');
    const result = await append(
      session,
      'Drafts',
      message('draft'),
      ['\\Draft', '\\Seen'],
      new Date('2024-01-02T03:04:05Z'),
    );
    expect(result).toEqual({ uid: status.uidNext, uidValidity: status.uidValidity });
    const drafts = await seen('Drafts');
    expect(drafts.get(status.uidNext)).toEqual({ flags: ['\\Draft', '\\Seen'], subject: 'draft' });
  });
});

describe('flags', () => {
  it('adds, removes and replaces flags on exactly the given UIDs', async () => {
    const [a, b, c] = uids as [number, number, number];
    await addFlags(session, 'INBOX', [a, b], ['\\Flagged', '$Forwarded']);
    await removeFlags(session, 'INBOX', [b], ['\\Seen']);
    await setFlags(session, 'INBOX', [c], ['\\Answered']);
    const inbox = await seen('INBOX');
    expect(inbox.get(a)?.flags).toEqual(['$Forwarded', '\\Flagged', '\\Seen']);
    expect(inbox.get(b)?.flags).toEqual(['$Forwarded', '\\Flagged']);
    expect(inbox.get(c)?.flags).toEqual(['\\Answered']);
  });
});

describe('copy and move', () => {
  it('copies with the COPYUID map and keeps the originals', async () => {
    const trash = await folderStatus(session, 'Trash');
    const result = await copy(session, 'INBOX', uids, 'Trash');
    expect(result.destinationUidValidity).toBe(trash.uidValidity);
    expect([...result.uidMap.keys()].sort((x, y) => x - y)).toEqual(uids);
    const copies = await seen('Trash');
    const inbox = await seen('INBOX');
    for (const uid of uids) {
      expect(copies.get(result.uidMap.get(uid) ?? 0)?.subject).toBe(inbox.get(uid)?.subject);
    }
  });

  it('moves with MOVE and the COPYUID map, leaving nothing behind', async () => {
    const [a, b] = uids as [number, number, number];
    const result = await move(session, 'INBOX', [a, b], 'Archive');
    expect(result.expunged).toBe(true);
    expect(result.uidMap.size).toBe(2);
    const inbox = await seen('INBOX');
    const archive = await seen('Archive');
    expect(inbox.has(a) || inbox.has(b)).toBe(false);
    expect(archive.get(result.uidMap.get(a) ?? 0)?.subject).toBe('first');
    expect(archive.get(result.uidMap.get(b) ?? 0)?.subject).toBe('second');
  });
});

describe('deleteForever', () => {
  it('expunges only the chosen messages, not others marked \\Deleted elsewhere', async () => {
    const [a, b, c] = uids as [number, number, number];
    // Another device marked one message \Deleted without expunging it (a plain EXPUNGE would take it).
    await device.mailboxOpen('INBOX');
    await device.messageFlagsAdd(String(c), ['\\Deleted'], { uid: true });

    await expect(deleteForever(session, 'INBOX', [a, b])).resolves.toEqual({ expunged: true });
    const inbox = await seen('INBOX');
    expect(inbox.has(a) || inbox.has(b)).toBe(false);
    expect(inbox.get(c)?.flags).toContain('\\Deleted');
  });
});

describe('servers without UIDPLUS and MOVE', () => {
  it('falls back to COPY + expunge, and never expunges a message it was not asked to', async () => {
    const fallback = await connectAs(servers, 'alice');
    // Dovecot has both; the adapter is told it has neither, as on an old server.
    Object.assign(fallback.capabilities, { uidplus: false, move: false });
    try {
      const [a, b, c] = uids as [number, number, number];
      await device.mailboxOpen('INBOX');
      await device.messageFlagsRemove('1:*', ['\\Deleted'], { uid: true });
      await device.messageFlagsAdd(String(c), ['\\Deleted'], { uid: true });

      // Another message is marked \Deleted: a plain EXPUNGE would take it too, so none is sent.
      await expect(deleteForever(fallback, 'INBOX', [a])).resolves.toEqual({ expunged: false });
      let inbox = await seen('INBOX');
      expect(inbox.get(a)?.flags).toContain('\\Deleted');
      expect(inbox.has(c)).toBe(true);

      await device.messageFlagsRemove(String(c), ['\\Deleted'], { uid: true });
      const moved = await move(fallback, 'INBOX', [b], 'Junk');
      expect(moved.uidMap.size).toBe(1);
      expect(moved.expunged).toBe(false); // a is still marked \Deleted
      await deleteForever(fallback, 'INBOX', [a, b]);
      inbox = await seen('INBOX');
      expect(inbox.has(a) || inbox.has(b)).toBe(false);
      expect(inbox.get(c)?.flags).not.toContain('\\Deleted');
      expect((await seen('Junk')).get(moved.uidMap.get(b) ?? 0)?.subject).toBe('second');
    } finally {
      await fallback.logout();
    }
  });
});
