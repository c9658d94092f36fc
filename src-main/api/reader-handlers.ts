/**
 * The Reading handlers (reader-contract.ts, plus message.open): a message opened with remote
 * content blocked unless the user allowed it for this message or its sender; attached messages
 * (message/rfc822) opened like messages; attachments read in chunks for the page, or saved and
 * opened through Electron's dialogs. Spread into the service in service.ts.
 */
import path from 'node:path';
import { MailError } from '../domain/errors';
import { asMessageId } from '../domain/ids';
import { parseMessage } from '../mime/parse';
import type { ParsedAttachment, ParsedMessage } from '../mime/parse';
import type { SqliteMailStore } from '../store/mail-store';
import type { StoredMessage } from '../store/message-rows';
import { isExecutableName, makeOpenFolder, writeChosenFile, writeNewFile } from './attachment-files';
import type { ApiHandlers } from './contract';
import {
  ATTACHED_MESSAGE_TYPE,
  attachmentFileName,
  buildMessageViewFromParsed,
  senderOf,
} from './message-view';
import { ATTACHMENT_CHUNK_BYTES, type AttachedPath, type readerMethods } from './reader-contract';

/** Electron's native dialogs and shell; null in browser mode, where the page saves files itself. */
export interface AttachmentFileDialogs {
  /** The save dialog, starting at `suggestedName`; null when cancelled. */
  chooseSaveFile(suggestedName: string): Promise<string | null>;
  /** A folder for "Save all"; null when cancelled. */
  chooseSaveFolder(): Promise<string | null>;
  /** Opens a file with the application the system uses for its type. */
  openWithSystem(file: string): Promise<void>;
}

export interface ReaderServiceDeps {
  store: Pick<SqliteMailStore, 'messages' | 'emlFiles' | 'remoteContentSenders'>;
  dialogs: AttachmentFileDialogs | null;
  /** The raw bytes of a stored message; by default its .eml file. */
  readRaw?: (stored: StoredMessage) => Promise<Buffer>;
}

type ReaderHandlers = Pick<ApiHandlers, keyof typeof readerMethods | 'message.open'>;

interface OpenedMessage {
  stored: StoredMessage;
  parsed: ParsedMessage;
}

/**
 * The last message parsed, kept for the next call: reading a big attachment in chunks asks for
 * the same message many times, and mailparser reads all of it each time.
 */
class ParsedMessageCache {
  #key: string | null = null;
  #value: Promise<OpenedMessage> | null = null;

  get(key: string, load: () => Promise<OpenedMessage>): Promise<OpenedMessage> {
    if (this.#key === key && this.#value) return this.#value;
    const value = load();
    this.#key = key;
    this.#value = value;
    // A failure is not remembered: the next call tries again.
    value.catch(() => {
      if (this.#value === value) {
        this.#key = null;
        this.#value = null;
      }
    });
    return value;
  }
}

function attachmentAt(parsed: ParsedMessage, index: number): ParsedAttachment {
  const part = parsed.attachments[index];
  if (!part) throw new MailError('NOT_FOUND', 'That attachment is not in this message.');
  return part;
}

function requireDialogs(dialogs: AttachmentFileDialogs | null): AttachmentFileDialogs {
  if (!dialogs) {
    throw new MailError('BAD_REQUEST', 'Save the attachment from the page: this window has no file dialog.');
  }
  return dialogs;
}

export function createReaderHandlers(deps: ReaderServiceDeps): ReaderHandlers {
  const { store, dialogs } = deps;
  const readRaw = deps.readRaw ?? ((stored: StoredMessage) => store.emlFiles.read(stored.emlPath));
  const cache = new ParsedMessageCache();

  /** The stored message, or the message/rfc822 attachment `attachedPath` leads to, parsed. */
  const openParsed = (messageId: number, attachedPath: AttachedPath): Promise<OpenedMessage> => {
    const stored = store.messages.get(asMessageId(messageId));
    if (!stored) return Promise.reject(new MailError('NOT_FOUND', 'That message is no longer here.'));
    return cache.get(`${messageId}:${stored.emlPath}:${attachedPath.join('/')}`, async () => {
      let parsed = await parseMessage(await readRaw(stored));
      for (const index of attachedPath) {
        const part = attachmentAt(parsed, index);
        if (part.contentType.toLowerCase() !== ATTACHED_MESSAGE_TYPE) {
          throw new MailError('BAD_REQUEST', 'That attachment is not a message.');
        }
        parsed = await parseMessage(part.content);
      }
      return { stored, parsed };
    });
  };

  const attachmentOf = async (messageId: number, attachedPath: AttachedPath | undefined, index: number) => {
    const { parsed } = await openParsed(messageId, attachedPath ?? []);
    const part = attachmentAt(parsed, index);
    return { part, fileName: attachmentFileName(part, index) };
  };

  return {
    'message.open': async ({ messageId, allowRemote, attachedPath = [] }) => {
      const { stored, parsed } = await openParsed(messageId, attachedPath);
      const sender = senderOf(parsed);
      const remote =
        allowRemote === true
          ? 'message'
          : sender !== null && store.remoteContentSenders.isAllowed(sender)
            ? 'sender'
            : 'no';
      return buildMessageViewFromParsed(stored, parsed, { remote, attachedPath });
    },

    'remoteContent.allowSender': async ({ address }) => {
      store.remoteContentSenders.allow(address);
      return { address: address.trim().toLowerCase() };
    },

    'remoteContent.listSenders': async () =>
      store.remoteContentSenders.list().map((entry) => ({ address: entry.address, addedAt: entry.addedMs })),

    'remoteContent.revokeSender': async ({ address }) => ({
      removed: store.remoteContentSenders.revoke(address),
    }),

    'attachment.content': async ({ messageId, attachedPath, index, offset = 0 }) => {
      const { part, fileName } = await attachmentOf(messageId, attachedPath, index);
      if (offset > part.content.length) {
        throw new MailError('BAD_REQUEST', 'That part of the attachment does not exist.');
      }
      const end = Math.min(part.content.length, offset + ATTACHMENT_CHUNK_BYTES);
      return {
        filename: fileName,
        contentType: part.contentType,
        size: part.content.length,
        offset,
        data: part.content.subarray(offset, end).toString('base64'),
        isLast: end >= part.content.length,
      };
    },

    'attachment.save': async ({ messageId, attachedPath, index }) => {
      const picker = requireDialogs(dialogs);
      const { part, fileName } = await attachmentOf(messageId, attachedPath, index);
      const chosen = await picker.chooseSaveFile(fileName);
      if (chosen === null) return { saved: false, fileName: null };
      await writeChosenFile(chosen, part.content);
      return { saved: true, fileName: path.basename(chosen) };
    },

    'attachment.saveAll': async ({ messageId, attachedPath = [] }) => {
      const picker = requireDialogs(dialogs);
      const { parsed } = await openParsed(messageId, attachedPath);
      if (parsed.attachments.length === 0) return { saved: 0, fileNames: [] };
      const folder = await picker.chooseSaveFolder();
      if (folder === null) return { saved: 0, fileNames: [] };
      const fileNames: string[] = [];
      for (const [index, part] of parsed.attachments.entries()) {
        fileNames.push(await writeNewFile(folder, attachmentFileName(part, index), part.content));
      }
      return { saved: fileNames.length, fileNames };
    },

    'attachment.open': async ({ messageId, attachedPath, index }) => {
      const picker = requireDialogs(dialogs);
      const { part, fileName } = await attachmentOf(messageId, attachedPath, index);
      if (isExecutableName(fileName)) {
        throw new MailError(
          'BAD_REQUEST',
          'This kind of file can run programs, so Estafeta does not open it. Save it and open it yourself if you trust the sender.',
        );
      }
      const folder = await makeOpenFolder();
      const written = await writeNewFile(folder, fileName, part.content);
      await picker.openWithSystem(path.join(folder, written));
      return { opened: true };
    },
  };
}
