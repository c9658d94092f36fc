/** A store with a small, known mailbox over two accounts, indexed as ingest indexes it. */
import type { Folder } from '../../../../src-main/domain/folder';
import type { MessageId } from '../../../../src-main/domain/ids';
import type { Address } from '../../../../src-main/domain/message';
import type { NewMessage } from '../../../../src-main/store/messages-repo';
import { newMessage, openStoreFixture, type StoreFixture } from '../store/store-fixture';

export interface MailSpec {
  subject: string;
  from: Address;
  to?: Address[];
  cc?: Address[];
  body: string;
  attachments?: string[];
  date: Date;
  isSeen?: boolean;
  isFlagged?: boolean;
}

export interface SearchFixture extends StoreFixture {
  projects: Folder;
  /** Message ids by their short name in MAILBOX. */
  ids: Record<string, MessageId>;
  add(folder: Folder, spec: MailSpec, overrides?: Partial<NewMessage>): MessageId;
}

const me: Address = { name: 'Alice Example', address: 'alice@example.test' };
const jose: Address = { name: 'José García', address: 'jose.garcia@empresa.example' };
const zoe: Address = { name: 'Zoë Müller', address: 'zoe.mueller@firma.example' };
const bob: Address = { name: 'Bob Smith', address: 'bob@example.test' };
const carol: Address = { name: 'Carol Jones', address: 'carol@example.test' };

/** Where each message of MAILBOX goes: the Local Folders Inbox or Trash, or the work account's Projects. */
type Place = 'inbox' | 'trash' | 'projects';

export const MAILBOX: Record<string, [Place, MailSpec]> = {
  cancion: [
    'inbox',
    {
      subject: 'Canción de cuna',
      from: jose,
      to: [me],
      body: 'La canción favorita de mi hija.',
      date: new Date(2024, 0, 10, 9),
    },
  ],
  status: [
    'inbox',
    {
      subject: 'Weekly status report',
      from: zoe,
      to: [bob],
      cc: [carol],
      body: 'The status of the Atlas project is green.',
      attachments: ['Übersicht 2024.pdf'],
      date: new Date(2024, 1, 15, 9),
      isSeen: true,
      isFlagged: true,
    },
  ],
  draft: [
    'inbox',
    {
      subject: 'Report draft',
      from: bob,
      to: [me],
      body: 'A weekly report; status unknown.',
      date: new Date(2024, 2, 1, 9),
      isSeen: true,
    },
  ],
  budget: [
    'trash',
    {
      subject: 'Budget review',
      from: carol,
      to: [me],
      body: 'The budget for Borealis.',
      date: new Date(2023, 11, 31, 23),
    },
  ],
  kickoff: [
    'projects',
    {
      subject: 'Atlas kickoff',
      from: zoe,
      to: [me],
      body: 'Réunion de lancement lundi.',
      date: new Date(2024, 2, 5, 9),
      isSeen: true,
    },
  ],
};

export async function openSearchFixture(): Promise<SearchFixture> {
  const base = await openStoreFixture();
  const { store } = base;
  const work = store.accounts.insert({ kind: 'imap', displayName: 'Work', email: 'alice@work.example' });
  const projects = store.folders.insert({
    accountId: work.id,
    parentId: null,
    name: 'Projects',
    path: 'Projects',
    delimiter: '/',
    role: null,
  });
  let serial = 0;
  const add = (folder: Folder, spec: MailSpec, overrides: Partial<NewMessage> = {}): MessageId => {
    serial += 1;
    return store.transaction(() => {
      const id = store.messages.insert(
        newMessage(folder, serial, {
          subject: spec.subject,
          from: spec.from,
          to: spec.to ?? [],
          cc: spec.cc ?? [],
          date: spec.date.getTime(),
          hasAttachments: (spec.attachments ?? []).length > 0,
          flags: {
            seen: spec.isSeen ?? false,
            flagged: spec.isFlagged ?? false,
            answered: false,
            forwarded: false,
            draft: false,
            deleted: false,
            keywords: [],
          },
          ...overrides,
        }),
      );
      store.search.index(id, {
        subject: spec.subject,
        from: [spec.from],
        to: spec.to ?? [],
        cc: spec.cc ?? [],
        body: spec.body,
        attachmentNames: spec.attachments ?? [],
      });
      return id;
    });
  };
  const folders: Record<Place, Folder> = { inbox: base.inbox, trash: base.trash, projects };
  const ids: Record<string, MessageId> = {};
  for (const [name, [place, spec]] of Object.entries(MAILBOX)) ids[name] = add(folders[place], spec);
  return Object.assign(base, { projects, ids, add });
}
