/**
 * The composers open in the UI, as main keeps them: each has its attachments (bytes stay here, the
 * page only sees names and sizes), the Message-ID its draft versions share, and what it answers.
 * Starting one from a reply, forward or saved draft fills the fields; saving a draft and sending
 * build the MIME here (mime/compose), so the page never handles raw mail.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../../domain/errors';
import { asMessageId, type AccountId, type MessageId } from '../../domain/ids';
import type { Address } from '../../domain/message';
import {
  DRAFT_ORIGINAL_HEADER,
  buildMessage,
  formatDraftOriginal,
  forwardBody,
  forwardSubject,
  newMessageId,
  readDraft,
  replyBody,
  replyRecipients,
  replySubject,
  replyThreading,
  type DraftOriginal,
  type OutgoingAttachment,
  type OutgoingMessage,
} from '../../mime/compose';
import { parseMessage } from '../../mime/parse';
import { sanitizeMailHtml } from '../../mime/sanitize';
import type { SqliteMailStore } from '../../store/mail-store';
import type { OutboxItem } from '../../store/outbox-repo';
import type { AccountAccess } from './account-access';
import type {
  ComposeAttachmentInfo,
  ComposeFields,
  ComposeIdentity,
  ComposeRequest,
  ComposeStart,
} from './compose-fields';
import { saveDraftVersions, type DraftEvents, type SavedDraft, removeDraftEverywhere } from './drafts';
import { listIdentities, signatureBlock } from './identities';
import type { OutboxEngine } from './outbox-engine';

/** Composers open at once; the oldest is dropped beyond this (a page that never closes its own). */
export const MAX_OPEN_COMPOSERS = 20;
/** Attachments per message, in bytes: above what any submission server accepts. */
export const MAX_ATTACHMENT_BYTES = 150 * 1024 * 1024;
export const MAX_ATTACHMENTS = 100;

interface Attachment extends OutgoingAttachment {
  id: string;
}

interface Upload {
  composeId: string;
  filename: string;
  contentType: string;
  expected: number;
  chunks: Buffer[];
  received: number;
}

interface Session {
  id: string;
  /** The Message-ID every saved version of this draft carries. */
  draftMessageIdHeader: string;
  draftMessageId: number | null;
  original: DraftOriginal | null;
  inReplyTo: string | null;
  references: string[];
  attachments: Map<string, Attachment>;
  /** The account the last draft version was saved for (its folders may differ from the next's). */
  lastDraftAccount: AccountId | null;
}

export interface ComposeSessionsOptions {
  store: SqliteMailStore;
  access: AccountAccess;
  outbox: OutboxEngine;
  events: DraftEvents;
  /**
   * Downloads a message kept as headers only (IMAP offline policy, POP3 size limit) before it is
   * quoted or forwarded; absent: every message here is whole.
   */
  ensureBody?: (messageId: MessageId) => Promise<void>;
}

const newId = (): string => randomBytes(12).toString('hex');

const info = (attachment: Attachment): ComposeAttachmentInfo => ({
  id: attachment.id,
  filename: attachment.filename,
  contentType: attachment.contentType,
  size: attachment.content.length,
});

/** A guess from the file name for files picked natively; the page sends the browser's type. */
function contentTypeOf(filename: string): string {
  const types: Record<string, string> = {
    '.pdf': 'application/pdf',
    '.txt': 'text/plain',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.zip': 'application/zip',
    '.eml': 'message/rfc822',
    '.html': 'text/html',
    '.csv': 'text/csv',
  };
  return types[path.extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

export class ComposeSessions {
  readonly #store: SqliteMailStore;
  readonly #access: AccountAccess;
  readonly #outbox: OutboxEngine;
  readonly #events: DraftEvents;
  readonly #ensureBody: (messageId: MessageId) => Promise<void>;
  readonly #sessions = new Map<string, Session>();
  readonly #uploads = new Map<string, Upload>();

  constructor(options: ComposeSessionsOptions) {
    this.#store = options.store;
    this.#access = options.access;
    this.#outbox = options.outbox;
    this.#events = options.events;
    this.#ensureBody = options.ensureBody ?? (async () => undefined);
  }

  identities(): ComposeIdentity[] {
    return listIdentities(this.#store, this.#access);
  }

  async start(request: ComposeRequest): Promise<ComposeStart> {
    const identities = this.identities();
    if (identities.length === 0) {
      throw new MailError('BAD_REQUEST', 'Add an email account before writing a message.', {
        retryable: false,
      });
    }
    const session: Session = {
      id: newId(),
      draftMessageIdHeader: '',
      draftMessageId: null,
      original: null,
      inReplyTo: null,
      references: [],
      attachments: new Map(),
      lastDraftAccount: null,
    };
    const fields = await this.#initialFields(session, request, identities);
    const identity = identities.find((i) => i.id === fields.identityId) ?? identities[0];
    if (session.draftMessageIdHeader === '')
      session.draftMessageIdHeader = newMessageId(identity?.email ?? '');
    this.#remember(session);
    if (request.kind === 'outbox') {
      // Saved as a draft before it leaves the Outbox: at no moment is the message only in the page.
      await this.saveDraft(session.id, fields);
      await this.#outbox.remove(request.outboxId);
    }
    return {
      composeId: session.id,
      identities,
      fields,
      attachments: [...session.attachments.values()].map(info),
      draftMessageId: session.draftMessageId,
    };
  }

  async #readOriginal(messageId: number) {
    const id = asMessageId(messageId);
    if (!this.#store.messages.get(id)) {
      throw new MailError('NOT_FOUND', 'That message is no longer here.', { retryable: false });
    }
    await this.#ensureBody(id);
    const stored = this.#store.messages.get(id);
    if (!stored) throw new MailError('NOT_FOUND', 'That message is no longer here.', { retryable: false });
    const raw = await this.#store.emlFiles.read(stored.emlPath);
    return { stored, raw, parsed: await parseMessage(raw) };
  }

  /** The identity of the account the original belongs to, else the one it was addressed to. */
  #identityFor(
    identities: ComposeIdentity[],
    accountId: number | null,
    addressed: readonly Address[],
  ): ComposeIdentity {
    const lower = new Set(addressed.map((a) => a.address.toLowerCase()));
    const byAddress = identities.find((i) => lower.has(i.email.toLowerCase()));
    const ofAccount = identities.filter((i) => i.accountId === accountId);
    const best =
      ofAccount.find((i) => lower.has(i.email.toLowerCase())) ?? byAddress ?? ofAccount[0] ?? identities[0];
    if (!best) throw new MailError('BAD_REQUEST', 'Add an email account before writing a message.');
    return best;
  }

  async #initialFields(
    session: Session,
    request: ComposeRequest,
    identities: ComposeIdentity[],
  ): Promise<ComposeFields> {
    const empty = { to: [], cc: [], bcc: [], subject: '', html: null };
    switch (request.kind) {
      case 'new': {
        const identity = identities[0] as ComposeIdentity;
        return { ...empty, identityId: identity.id, text: signatureBlock(identity.signature) };
      }
      case 'reply':
      case 'replyAll': {
        const { stored, parsed } = await this.#readOriginal(request.messageId);
        const identity = this.#identityFor(identities, stored.accountId, [...parsed.to, ...parsed.cc]);
        const own = identities.map((i) => i.email);
        const recipients = replyRecipients(parsed, own, request.kind === 'replyAll');
        const threading = replyThreading(parsed);
        session.original = { messageId: stored.id, kind: 'answered' };
        session.inReplyTo = threading.inReplyTo;
        session.references = threading.references;
        return {
          ...empty,
          identityId: identity.id,
          to: recipients.to,
          cc: recipients.cc,
          subject: replySubject(parsed.subject),
          text: `${signatureBlock(identity.signature)}${replyBody(parsed, parsed.text)}`,
        };
      }
      case 'forward': {
        const { stored, raw, parsed } = await this.#readOriginal(request.messageId);
        const identity = this.#identityFor(identities, stored.accountId, [...parsed.to, ...parsed.cc]);
        session.original = { messageId: stored.id, kind: 'forwarded' };
        if (request.asAttachment) {
          const name = `${(parsed.subject || 'message').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 100)}.eml`;
          this.#add(session, { filename: name, contentType: 'message/rfc822', content: raw });
        } else {
          parsed.attachments.forEach((attachment, index) =>
            this.#add(session, {
              filename: attachment.filename ?? `attachment-${index + 1}`,
              contentType: attachment.contentType,
              content: attachment.content,
            }),
          );
        }
        return {
          ...empty,
          identityId: identity.id,
          subject: forwardSubject(parsed.subject),
          text: `${signatureBlock(identity.signature)}${request.asAttachment ? '' : forwardBody(parsed, parsed.text)}`,
        };
      }
      case 'outbox':
        return this.#fieldsFromOutbox(session, request.outboxId, identities);
      case 'draft': {
        const { stored, raw } = await this.#readOriginal(request.messageId);
        const draft = await readDraft(raw);
        const identity = this.#identityFor(identities, null, draft.from ? [draft.from] : []);
        session.draftMessageIdHeader = draft.messageId ?? '';
        session.draftMessageId = stored.id;
        session.original = draft.original;
        session.inReplyTo = draft.inReplyTo;
        session.references = draft.references;
        session.lastDraftAccount = identity.accountId;
        for (const attachment of draft.attachments) this.#add(session, attachment);
        return {
          identityId: identity.id,
          to: draft.to,
          cc: draft.cc,
          bcc: draft.bcc,
          subject: draft.subject,
          text: draft.text,
          // The draft may come from the server's Drafts folder: its HTML is mail like any other, so
          // it is cleaned before the page puts it in the editor.
          html: draft.html === null ? null : sanitizeMailHtml(draft.html, { allowRemote: false }).html,
        };
      }
    }
  }

  /** The message as it was put in the Outbox; Bcc are the envelope recipients not in To or Cc. */
  async #fieldsFromOutbox(
    session: Session,
    outboxId: number,
    identities: ComposeIdentity[],
  ): Promise<ComposeFields> {
    const item = this.#store.outbox.get(outboxId);
    if (!item)
      throw new MailError('NOT_FOUND', 'That message is no longer in the Outbox.', { retryable: false });
    if (item.state === 'sending' || item.state === 'data') {
      throw new MailError('BAD_REQUEST', 'This message is being sent right now. Try again in a moment.', {
        retryable: true,
      });
    }
    const draft = await readDraft(await this.#store.emlFiles.read(item.emlPath));
    const sender = item.envelopeFrom.toLowerCase();
    const identity =
      identities.find((i) => i.accountId === item.accountId && i.email.toLowerCase() === sender) ??
      this.#identityFor(identities, item.accountId, []);
    // Saved under the draft it came from, if any, so that draft is replaced rather than doubled.
    session.draftMessageIdHeader = item.draftMessageIdHeader ?? '';
    session.original = item.original;
    session.inReplyTo = draft.inReplyTo;
    session.references = draft.references;
    for (const attachment of draft.attachments) this.#add(session, attachment);
    const shown = new Set([...draft.to, ...draft.cc].map((a) => a.address.toLowerCase()));
    return {
      identityId: identity.id,
      to: draft.to,
      cc: draft.cc,
      bcc: item.recipients
        .filter((r) => !shown.has(r.toLowerCase()))
        .map((address) => ({ name: '', address })),
      subject: draft.subject,
      text: draft.text,
      html: draft.html === null ? null : sanitizeMailHtml(draft.html, { allowRemote: false }).html,
    };
  }

  #remember(session: Session): void {
    this.#sessions.set(session.id, session);
    while (this.#sessions.size > MAX_OPEN_COMPOSERS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.close(oldest);
    }
  }

  #session(composeId: string): Session {
    const session = this.#sessions.get(composeId);
    if (!session) {
      throw new MailError('NOT_FOUND', 'This message window is no longer open. Open the draft again.', {
        retryable: false,
      });
    }
    return session;
  }

  #add(session: Session, attachment: OutgoingAttachment): Attachment {
    const total = [...session.attachments.values()].reduce((sum, a) => sum + a.content.length, 0);
    if (session.attachments.size >= MAX_ATTACHMENTS) {
      throw new MailError('BAD_REQUEST', `A message can have at most ${MAX_ATTACHMENTS} attachments.`, {
        retryable: false,
      });
    }
    if (total + attachment.content.length > MAX_ATTACHMENT_BYTES) {
      throw new MailError('BAD_REQUEST', 'The attachments are too large for one message.', {
        retryable: false,
      });
    }
    const added: Attachment = { ...attachment, id: newId() };
    session.attachments.set(added.id, added);
    return added;
  }

  attachBegin(composeId: string, filename: string, contentType: string, size: number): string {
    const session = this.#session(composeId);
    if (size > MAX_ATTACHMENT_BYTES) {
      throw new MailError('BAD_REQUEST', 'The attachments are too large for one message.', {
        retryable: false,
      });
    }
    const uploadId = newId();
    this.#uploads.set(uploadId, {
      composeId: session.id,
      filename,
      contentType: contentType.trim() === '' ? contentTypeOf(filename) : contentType,
      expected: size,
      chunks: [],
      received: 0,
    });
    return uploadId;
  }

  attachChunk(uploadId: string, data: Buffer): number {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new MailError('NOT_FOUND', 'That upload is over.', { retryable: false });
    if (upload.received + data.length > upload.expected) {
      this.#uploads.delete(uploadId);
      throw new MailError('BAD_REQUEST', 'The file is larger than announced.', { retryable: false });
    }
    upload.chunks.push(data);
    upload.received += data.length;
    return upload.received;
  }

  attachFinish(uploadId: string): ComposeAttachmentInfo {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new MailError('NOT_FOUND', 'That upload is over.', { retryable: false });
    this.#uploads.delete(uploadId);
    if (upload.received !== upload.expected) {
      throw new MailError('BAD_REQUEST', 'The file did not arrive whole. Attach it again.', {
        retryable: false,
      });
    }
    const session = this.#session(upload.composeId);
    return info(
      this.#add(session, {
        filename: upload.filename,
        contentType: upload.contentType,
        content: Buffer.concat(upload.chunks),
      }),
    );
  }

  /** Electron: files the native dialog picked, read here. */
  async attachPaths(composeId: string, paths: readonly string[]): Promise<ComposeAttachmentInfo[]> {
    const session = this.#session(composeId);
    const added: ComposeAttachmentInfo[] = [];
    for (const file of paths) {
      const size = (await stat(file)).size;
      if (size > MAX_ATTACHMENT_BYTES) {
        throw new MailError('BAD_REQUEST', 'The attachments are too large for one message.', {
          retryable: false,
        });
      }
      const filename = path.basename(file);
      added.push(
        info(
          this.#add(session, {
            filename,
            contentType: contentTypeOf(filename),
            content: await readFile(file),
          }),
        ),
      );
    }
    return added;
  }

  removeAttachment(composeId: string, attachmentId: string): void {
    this.#session(composeId).attachments.delete(attachmentId);
  }

  #identity(fields: ComposeFields): ComposeIdentity {
    const identity = this.identities().find((i) => i.id === fields.identityId);
    if (!identity) {
      throw new MailError('BAD_REQUEST', 'Choose who the message is from.', { retryable: false });
    }
    return identity;
  }

  #outgoing(
    session: Session,
    fields: ComposeFields,
    identity: ComposeIdentity,
    messageId: string,
  ): OutgoingMessage {
    return {
      from: { name: identity.name, address: identity.email },
      to: fields.to,
      cc: fields.cc,
      bcc: fields.bcc,
      subject: fields.subject,
      text: fields.text,
      html: fields.html,
      attachments: [...session.attachments.values()],
      messageId,
      date: new Date(),
      inReplyTo: session.inReplyTo,
      references: session.references,
    };
  }

  async saveDraft(composeId: string, fields: ComposeFields): Promise<SavedDraft> {
    const session = this.#session(composeId);
    const identity = this.#identity(fields);
    const raw = await buildMessage(this.#outgoing(session, fields, identity, session.draftMessageIdHeader), {
      keepBcc: true,
      ...(session.original
        ? { headers: { [DRAFT_ORIGINAL_HEADER]: formatDraftOriginal(session.original) } }
        : {}),
    });
    const saved = await saveDraftVersions(this.#store, this.#access, this.#events, {
      accountId: identity.accountId,
      previousAccountId: session.lastDraftAccount,
      raw,
      messageIdHeader: session.draftMessageIdHeader,
    });
    session.draftMessageId = saved.draftMessageId;
    session.lastDraftAccount = identity.accountId;
    return saved;
  }

  /** Builds the message with a Message-ID of its own and hands it to the outbox; the composer closes. */
  async send(composeId: string, fields: ComposeFields): Promise<OutboxItem> {
    const session = this.#session(composeId);
    const identity = this.#identity(fields);
    const recipients = [...fields.to, ...fields.cc, ...fields.bcc].map((a) => a.address.trim());
    if (recipients.length === 0) {
      throw new MailError('BAD_REQUEST', 'Add at least one recipient.', { retryable: false });
    }
    const messageIdHeader = newMessageId(identity.email);
    const raw = await buildMessage(this.#outgoing(session, fields, identity, messageIdHeader));
    const item = await this.#outbox.enqueue({
      accountId: identity.accountId,
      raw,
      messageIdHeader,
      envelopeFrom: identity.email,
      recipients: [...new Set(recipients)],
      subject: fields.subject,
      original: session.original,
      draftMessageIdHeader: session.draftMessageId !== null ? session.draftMessageIdHeader : null,
    });
    this.close(composeId);
    return item;
  }

  /** Closes the composer and deletes its saved draft. */
  async discard(composeId: string): Promise<void> {
    const session = this.#session(composeId);
    this.close(composeId);
    if (session.draftMessageId === null || session.lastDraftAccount === null) return;
    await removeDraftEverywhere(
      this.#store,
      this.#access,
      this.#events,
      session.lastDraftAccount,
      session.draftMessageIdHeader,
    );
  }

  close(composeId: string): void {
    this.#sessions.delete(composeId);
    for (const [uploadId, upload] of this.#uploads)
      if (upload.composeId === composeId) this.#uploads.delete(uploadId);
  }
}
