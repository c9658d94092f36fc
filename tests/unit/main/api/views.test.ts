/**
 * messageRow (api/views.ts): the list row names who a message went to, for the Sent and Drafts
 * lists: its first To address and how many there are, or Cc's when it has no To.
 */
import { describe, expect, it } from 'vitest';
import { messageRow } from '../../../../src-main/api/views';
import type { Folder } from '../../../../src-main/domain/folder';
import { asAccountId, asFolderId, asMessageId } from '../../../../src-main/domain/ids';
import type { MessageSummary } from '../../../../src-main/domain/message';
import { newMessage } from '../store/store-fixture';

const folder: Folder = {
  id: asFolderId(7),
  accountId: asAccountId(1),
  parentId: null,
  name: 'Sent',
  path: 'Sent',
  delimiter: '/',
  role: 'sent',
};

function summary(overrides: Partial<MessageSummary>): MessageSummary {
  const { emlPath: _e, parseState: _p, receivedAt: _r, ...fields } = newMessage(folder, 1);
  return { ...fields, to: [...fields.to], cc: [...fields.cc], id: asMessageId(11), ...overrides };
}

const bob = { name: 'Bob', address: 'bob@example.test' };
const carol = { name: '', address: 'carol@example.test' };

describe('messageRow recipients', () => {
  it('gives the first To address and the number of To addresses', () => {
    const row = messageRow(summary({ to: [bob, carol], cc: [{ name: 'Dan', address: 'dan@example.test' }] }));
    expect(row.firstRecipient).toEqual(bob);
    expect(row.recipientCount).toBe(2);
  });

  it('falls back to Cc when there is no To', () => {
    const row = messageRow(summary({ to: [], cc: [carol] }));
    expect(row.firstRecipient).toEqual(carol);
    expect(row.recipientCount).toBe(1);
  });

  it('has no recipient for a draft addressed to nobody yet (or only by Bcc)', () => {
    const row = messageRow(summary({ to: [], cc: [] }));
    expect(row.firstRecipient).toBeNull();
    expect(row.recipientCount).toBe(0);
  });
});
