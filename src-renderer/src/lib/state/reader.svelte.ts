import type { ApiClient } from '../api/client';
import type { AttachmentRef, MessageView } from '../api/contract-types';
import { t } from '../../i18n';
import { AttachmentTooLargeError, attachmentBlob, isPreviewable } from '../reader/attachment-bytes';
import { downloadBlob } from '../reader/download-blob';
import { AllowedSendersState } from './allowed-senders.svelte';
import { errorText } from './error-text';

/** An image or PDF attachment shown inside the reader. */
export interface AttachmentPreview {
  index: number;
  filename: string;
  kind: 'image' | 'pdf';
  /** blob: URL of the bytes, typed so the browser renders it as an image or a PDF only. */
  url: string;
}

export type ReaderNotice = { kind: 'saved'; fileName: string } | { kind: 'savedAll'; count: number };

const ATTACHED_MESSAGE_TYPE = 'message/rfc822';

/**
 * The open message. Opening it marks it read, as every mail client does. Remote content, attached
 * messages (message/rfc822 opened on top of their parent, with a way back) and attachment previews
 * and saving live here too; the components only show this state and call its methods.
 */
export class ReaderState {
  /** "Always for this sender", as Settings lists it. */
  readonly allowedSenders: AllowedSendersState;
  readonly #api: ApiClient;
  #message = $state.raw<MessageView | null>(null);
  /** The messages an attached message was opened from, outermost first. */
  #parents = $state.raw<MessageView[]>([]);
  #openingId = $state<number | null>(null);
  #error = $state<string | null>(null);
  #preview = $state.raw<AttachmentPreview | null>(null);
  #busyAttachment = $state<number | 'all' | null>(null);
  #notice = $state.raw<ReaderNotice | null>(null);
  #mode: Promise<'electron' | 'browser'> | null = null;
  /** Bumped per open/close: a slow reply for a message the user already left is dropped. */
  #ticket = 0;

  constructor(api: ApiClient) {
    this.#api = api;
    this.allowedSenders = new AllowedSendersState(api, (address) => void this.#senderRemoved(address));
  }

  get message(): MessageView | null {
    return this.#message;
  }

  get isLoading(): boolean {
    return this.#openingId !== null;
  }

  get error(): string | null {
    return this.#error;
  }

  /** True while an attached message is shown; back() returns to the one it came from. */
  get isAttachedMessage(): boolean {
    return this.#parents.length > 0;
  }

  get preview(): AttachmentPreview | null {
    return this.#preview;
  }

  /** The attachment being read or saved ('all' for Save all), to disable its buttons meanwhile. */
  get busyAttachment(): number | 'all' | null {
    return this.#busyAttachment;
  }

  get notice(): ReaderNotice | null {
    return this.#notice;
  }

  /** Resolves to the opened message, or null if it failed or another open superseded it. */
  async open(messageId: number): Promise<MessageView | null> {
    this.#reset();
    const message = await this.#load({ messageId });
    if (message && !message.isSeen) void this.#markSeen(message);
    return message;
  }

  close(): void {
    this.#reset();
    this.#message = null;
    this.#openingId = null;
  }

  /** "Load remote content": this message only, this time only. */
  async loadRemoteContent(): Promise<void> {
    const current = this.#message;
    if (!current) return;
    await this.#reload(current, true);
  }

  /** "Always for this sender": remembered in the store, then the message is shown with it. */
  async allowSender(): Promise<void> {
    const current = this.#message;
    const sender = current?.remoteContent.sender;
    if (!current || !sender) return;
    try {
      await this.#api.call('remoteContent.allowSender', { address: sender });
    } catch (error) {
      this.#error = errorText(error);
      return;
    }
    await this.#reload(current, false);
  }

  /** Undoes "Always for this sender"; the message is shown blocked again. */
  async revokeSender(): Promise<void> {
    const current = this.#message;
    const sender = current?.remoteContent.sender;
    if (!current || !sender) return;
    try {
      await this.#api.call('remoteContent.revokeSender', { address: sender });
    } catch (error) {
      this.#error = errorText(error);
      return;
    }
    await this.#reload(current, false);
  }

  /** A sender removed in Settings: its message, if open with remote content, is shown blocked again. */
  async #senderRemoved(address: string): Promise<void> {
    const current = this.#message;
    if (current?.remoteContent.allowed === 'sender' && current.remoteContent.sender === address) {
      await this.#reload(current, false);
    }
  }

  /** Opens a message/rfc822 attachment in place of the message that carries it. */
  async openAttachedMessage(index: number): Promise<void> {
    const current = this.#message;
    if (!current) return;
    this.#closePreview();
    const ticket = ++this.#ticket;
    this.#openingId = current.id;
    this.#error = null;
    try {
      const attached = await this.#api.call('message.open', {
        messageId: current.id,
        attachedPath: [...current.attachedPath, index],
      });
      if (ticket !== this.#ticket) return;
      this.#parents = [...this.#parents, current];
      this.#message = attached;
    } catch (error) {
      if (ticket === this.#ticket) this.#error = errorText(error);
    } finally {
      if (ticket === this.#ticket) this.#openingId = null;
    }
  }

  /** Back from an attached message to the message it is attached to. */
  back(): void {
    const parent = this.#parents[this.#parents.length - 1];
    if (!parent) return;
    this.#closePreview();
    this.#ticket += 1;
    this.#parents = this.#parents.slice(0, -1);
    this.#message = parent;
    this.#error = null;
  }

  /**
   * "Open": an attached message opens as a message, images and PDFs are previewed here, anything
   * else goes to the system (Electron) or is downloaded (browser mode), never shown as a page.
   */
  async openAttachment(attachment: AttachmentRef): Promise<void> {
    if (attachment.contentType.toLowerCase() === ATTACHED_MESSAGE_TYPE) {
      await this.openAttachedMessage(attachment.index);
      return;
    }
    if (isPreviewable(attachment.contentType)) {
      await this.#withAttachment(attachment.index, async (message) => {
        const { blob, kind } = await attachmentBlob(this.#api, message, attachment.index, 'preview');
        this.#closePreview();
        if (kind === null) return;
        this.#preview = {
          index: attachment.index,
          filename: attachment.filename,
          kind,
          url: URL.createObjectURL(blob),
        };
      });
      return;
    }
    if ((await this.#appMode()) === 'electron') {
      await this.#withAttachment(attachment.index, (message) =>
        this.#api
          .call('attachment.open', {
            messageId: message.id,
            attachedPath: message.attachedPath,
            index: attachment.index,
          })
          .then(() => undefined),
      );
      return;
    }
    await this.saveAttachment(attachment);
  }

  closePreview(): void {
    this.#closePreview();
  }

  async saveAttachment(attachment: AttachmentRef): Promise<void> {
    await this.#withAttachment(attachment.index, async (message) => {
      if ((await this.#appMode()) === 'electron') {
        const result = await this.#api.call('attachment.save', {
          messageId: message.id,
          attachedPath: message.attachedPath,
          index: attachment.index,
        });
        if (result.saved && result.fileName) this.#notice = { kind: 'saved', fileName: result.fileName };
        return;
      }
      const { blob, filename } = await attachmentBlob(this.#api, message, attachment.index, 'download');
      downloadBlob(blob, filename);
      this.#notice = { kind: 'saved', fileName: filename };
    });
  }

  async saveAll(): Promise<void> {
    await this.#withAttachment('all', async (message) => {
      if ((await this.#appMode()) === 'electron') {
        const result = await this.#api.call('attachment.saveAll', {
          messageId: message.id,
          attachedPath: message.attachedPath,
        });
        if (result.saved > 0) this.#notice = { kind: 'savedAll', count: result.saved };
        return;
      }
      // One download per attachment, one after another, each under its sanitised name.
      for (const attachment of message.attachments) {
        if (this.#message !== message) return;
        const { blob, filename } = await attachmentBlob(this.#api, message, attachment.index, 'download');
        downloadBlob(blob, filename);
      }
      this.#notice = { kind: 'savedAll', count: message.attachments.length };
    });
  }

  dismissNotice(): void {
    this.#notice = null;
  }

  async #withAttachment(which: number | 'all', work: (message: MessageView) => Promise<void>): Promise<void> {
    const message = this.#message;
    if (!message || this.#busyAttachment !== null) return;
    this.#busyAttachment = which;
    this.#error = null;
    this.#notice = null;
    try {
      await work(message);
    } catch (error) {
      if (this.#message !== message) return;
      this.#error =
        error instanceof AttachmentTooLargeError ? t('reader.attachmentTooLarge') : errorText(error);
    } finally {
      this.#busyAttachment = null;
    }
  }

  async #load(params: { messageId: number; allowRemote?: boolean }): Promise<MessageView | null> {
    const ticket = ++this.#ticket;
    this.#openingId = params.messageId;
    this.#error = null;
    try {
      const message = await this.#api.call('message.open', params);
      if (ticket !== this.#ticket) return null;
      this.#message = message;
      this.#openingId = null;
      return message;
    } catch (error) {
      if (ticket !== this.#ticket) return null;
      this.#message = null;
      this.#openingId = null;
      this.#error = errorText(error);
      return null;
    }
  }

  /** The same message (or attached message) again, e.g. with remote content. */
  async #reload(current: MessageView, allowRemote: boolean): Promise<void> {
    const ticket = ++this.#ticket;
    this.#error = null;
    try {
      const message = await this.#api.call('message.open', {
        messageId: current.id,
        attachedPath: current.attachedPath,
        allowRemote,
      });
      if (ticket !== this.#ticket) return;
      // Flags belong to the stored message; keep what this view already knows (e.g. just read).
      this.#message = { ...message, isSeen: current.isSeen || message.isSeen };
    } catch (error) {
      if (ticket === this.#ticket) this.#error = errorText(error);
    }
  }

  #reset(): void {
    this.#ticket += 1;
    this.#closePreview();
    this.#parents = [];
    this.#error = null;
    this.#notice = null;
  }

  #closePreview(): void {
    if (this.#preview) URL.revokeObjectURL(this.#preview.url);
    this.#preview = null;
  }

  #appMode(): Promise<'electron' | 'browser'> {
    this.#mode ??= this.#api.call('app.info', {}).then(
      (info) => info.mode,
      (error: unknown) => {
        this.#mode = null;
        throw error;
      },
    );
    return this.#mode;
  }

  async #markSeen(message: MessageView): Promise<void> {
    try {
      await this.#api.call('flags.set', { messageIds: [message.id], flag: 'seen', value: true });
      if (this.#message?.id === message.id && this.#message.attachedPath.length === 0) {
        this.#message = { ...this.#message, isSeen: true };
      }
    } catch (error) {
      // Reading still works; the message simply stays unread. Say so where the message is shown.
      if (this.#message?.id === message.id) this.#error = errorText(error);
    }
  }
}
