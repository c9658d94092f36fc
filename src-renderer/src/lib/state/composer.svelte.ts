/**
 * The composer's state (issue 6) and the outbox as the UI shows it. `openComposer` is the one
 * entry the toolbar and the keys (c/r/a/f) use; the composer host mounted in the shell shows what
 * it opens. Main keeps the message being written (attachments' bytes, thread headers); this class
 * keeps the fields the user edits, saves them as a draft every few seconds and on close, and sends.
 */
import type { ApiClient } from '../api/client';
import type { ParamsOf, ResultOf } from '../api/contract-types';
import { encodeBase64 } from '../import/chunked-import';
import { formatAddressList, parseAddressList } from '../../components/compose/address-text';
import { swapSignature, textToHtml } from '../../components/compose/body-text';
import { t } from '../../i18n';
import { errorText } from './error-text';

export type ComposeRequest =
  | { kind: 'new' }
  | { kind: 'reply' | 'replyAll'; messageId: number }
  /** Inline with the original's attachments, or (asAttachment) the original as an attached .eml. */
  | { kind: 'forward'; messageId: number; asAttachment?: boolean }
  | { kind: 'draft'; messageId: number }
  /** "Edit" in the Outbox: the message becomes a draft in the composer. */
  | { kind: 'outbox'; outboxId: number };

type ComposeStart = ResultOf<'compose.start'>;
export type ComposeIdentity = ComposeStart['identities'][number];
export type ComposeAttachment = ComposeStart['attachments'][number];
type ComposeFields = ParamsOf<'compose.send'>['fields'];
export type OutboxItem = ResultOf<'outbox.list'>[number];
export type AddressSuggestion = ResultOf<'addresses.complete'>[number];

/** Drafts are saved this often while the user writes (and on close). */
export const AUTOSAVE_INTERVAL_MS = 5_000;
/** Same slice size as the import upload: one reply awaited per MB. */
const ATTACH_CHUNK_BYTES = 1024 * 1024;
const COMPLETION_LIMIT = 8;

export type ComposerPhase = 'closed' | 'opening' | 'open' | 'sending';

export class ComposerState {
  readonly #api: ApiClient;
  #phase = $state<ComposerPhase>('closed');
  #composeId: string | null = null;
  #identities = $state.raw<ComposeIdentity[]>([]);
  #attachments = $state.raw<ComposeAttachment[]>([]);
  #uploading = $state.raw<string[]>([]);
  #error = $state<string | null>(null);
  #savedAt = $state<number | null>(null);
  #draftNote = $state<string | null>(null);
  #forwarding = $state.raw<{ messageId: number; asAttachment: boolean } | null>(null);
  /** compose.start failed (no account, say): there is nothing to write into or send. */
  #isUnavailable = $state(false);
  #isSaving = false;
  #isDirty = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  identityId = $state('');
  to = $state('');
  cc = $state('');
  bcc = $state('');
  subject = $state('');
  text = $state('');
  /** Formatted text as HTML, while the body is in formatted mode. */
  html = $state<string | null>(null);

  constructor(api: ApiClient) {
    this.#api = api;
  }

  get api(): ApiClient {
    return this.#api;
  }

  get phase(): ComposerPhase {
    return this.#phase;
  }

  get isOpen(): boolean {
    return this.#phase !== 'closed';
  }

  /** Open, but without a message to write: the error says why. */
  get isUnavailable(): boolean {
    return this.#isUnavailable;
  }

  get identities(): ComposeIdentity[] {
    return this.#identities;
  }

  get attachments(): ComposeAttachment[] {
    return this.#attachments;
  }

  /** Names of files still uploading. */
  get uploading(): string[] {
    return this.#uploading;
  }

  get error(): string | null {
    return this.#error;
  }

  get savedAt(): number | null {
    return this.#savedAt;
  }

  /** Why the draft is only saved here (the server could not be reached), in words. */
  get draftNote(): string | null {
    return this.#draftNote;
  }

  get isFormatted(): boolean {
    return this.html !== null;
  }

  /** Called by the views after the user changed a field. */
  touch(): void {
    this.#isDirty = true;
  }

  /** The message being forwarded, while this composer is a forward. */
  get forwarding(): { messageId: number; asAttachment: boolean } | null {
    return this.#forwarding;
  }

  async open(request: ComposeRequest): Promise<void> {
    if (this.#phase === 'opening' || this.#phase === 'sending') return;
    if (this.#phase === 'open') await this.close(false);
    this.#phase = 'opening';
    this.#error = null;
    try {
      const start = await this.#api.call('compose.start', { request: toStartRequest(request) });
      this.#fill(start);
      this.#forwarding =
        request.kind === 'forward'
          ? { messageId: request.messageId, asAttachment: request.asAttachment === true }
          : null;
      this.#phase = 'open';
      this.#timer = setInterval(() => void this.saveDraft(), AUTOSAVE_INTERVAL_MS);
    } catch (error) {
      this.#phase = 'open';
      this.#composeId = null;
      this.#isUnavailable = true;
      this.#error = errorText(error);
    }
  }

  /**
   * Switches a forward between inline and attached .eml: a new composer on main's side, keeping what
   * the user typed in the address fields and the subject.
   */
  async setForwardAsAttachment(asAttachment: boolean): Promise<void> {
    const forwarding = this.#forwarding;
    const composeId = this.#composeId;
    if (forwarding === null || composeId === null || forwarding.asAttachment === asAttachment) return;
    const typed = {
      identityId: this.identityId,
      to: this.to,
      cc: this.cc,
      bcc: this.bcc,
      subject: this.subject,
    };
    try {
      const start = await this.#api.call('compose.start', {
        request: { kind: 'forward', messageId: forwarding.messageId, asAttachment },
      });
      // The other form's draft, if one was saved, is not this message any more.
      await this.#api.call('compose.close', { composeId, discardDraft: true });
      this.#fill(start);
      Object.assign(this, typed);
      this.#forwarding = { ...forwarding, asAttachment };
      this.touch();
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  #fill(start: ComposeStart): void {
    this.#composeId = start.composeId;
    this.#identities = start.identities;
    this.#attachments = start.attachments;
    this.identityId = start.fields.identityId;
    this.to = formatAddressList(start.fields.to);
    this.cc = formatAddressList(start.fields.cc);
    this.bcc = formatAddressList(start.fields.bcc);
    this.subject = start.fields.subject;
    this.text = start.fields.text;
    this.html = start.fields.html;
    this.#savedAt = null;
    this.#draftNote = null;
    this.#isDirty = false;
  }

  setIdentity(id: string): void {
    const before = this.#identities.find((i) => i.id === this.identityId);
    const after = this.#identities.find((i) => i.id === id);
    this.identityId = id;
    if (before && after && this.html === null)
      this.text = swapSignature(this.text, before.signature, after.signature);
    this.touch();
  }

  /** Plain text <-> formatted text; the text carries over either way. */
  setFormatted(isFormatted: boolean): void {
    if (isFormatted === this.isFormatted) return;
    this.html = isFormatted ? textToHtml(this.text) : null;
    this.touch();
  }

  /** The fields as main takes them; null (with the problem shown) when an address is not one. */
  #fields(): ComposeFields | null {
    const lists = {
      to: parseAddressList(this.to),
      cc: parseAddressList(this.cc),
      bcc: parseAddressList(this.bcc),
    };
    const invalid = [...lists.to.invalid, ...lists.cc.invalid, ...lists.bcc.invalid];
    if (invalid.length > 0) {
      this.#error = t('compose.invalidAddress', { address: invalid.join(', ') });
      return null;
    }
    return {
      identityId: this.identityId,
      to: lists.to.addresses,
      cc: lists.cc.addresses,
      bcc: lists.bcc.addresses,
      subject: this.subject,
      text: this.text,
      html: this.html,
    };
  }

  /** Saves a draft when something changed since the last save. */
  async saveDraft(force = false): Promise<void> {
    const composeId = this.#composeId;
    if (composeId === null || this.#phase !== 'open' || this.#isSaving) return;
    if (!this.#isDirty && !force) return;
    const fields = this.#fields();
    if (fields === null) return;
    this.#isSaving = true;
    this.#isDirty = false;
    try {
      const saved = await this.#api.call('compose.saveDraft', { composeId, fields });
      this.#savedAt = saved.savedAt;
      this.#draftNote =
        saved.serverError === null ? null : t('compose.draftLocalOnly', { reason: saved.serverError });
    } catch (error) {
      this.#isDirty = true;
      this.#error = errorText(error);
    } finally {
      this.#isSaving = false;
    }
  }

  async send(): Promise<boolean> {
    const composeId = this.#composeId;
    if (composeId === null || this.#phase !== 'open') return false;
    const fields = this.#fields();
    if (fields === null) return false;
    if (fields.to.length + fields.cc.length + fields.bcc.length === 0) {
      this.#error = t('compose.noRecipients');
      return false;
    }
    if (this.#uploading.length > 0) {
      this.#error = t('compose.stillUploading');
      return false;
    }
    this.#phase = 'sending';
    this.#error = null;
    try {
      await this.#api.call('compose.send', { composeId, fields });
      this.#reset();
      return true;
    } catch (error) {
      this.#phase = 'open';
      this.#error = errorText(error);
      return false;
    }
  }

  /** Closes the composer: the draft is saved first, or deleted with `discard`. */
  async close(discard: boolean): Promise<void> {
    const composeId = this.#composeId;
    if (composeId !== null && !discard) await this.saveDraft();
    this.#reset();
    if (composeId === null) return;
    try {
      await this.#api.call('compose.close', { composeId, discardDraft: discard });
    } catch (error) {
      console.error(error);
    }
  }

  #reset(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#composeId = null;
    this.#isUnavailable = false;
    this.#phase = 'closed';
    this.#attachments = [];
    this.#uploading = [];
    this.#error = null;
    this.#forwarding = null;
    // The next composer starts blank, not with this one's text while it opens.
    this.to = this.cc = this.bcc = this.subject = this.text = '';
    this.html = null;
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Browser mode: picked or dropped files, streamed to main in chunks. */
  async attachFiles(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const composeId = this.#composeId;
      if (composeId === null) return;
      this.#uploading = [...this.#uploading, file.name];
      try {
        const { uploadId } = await this.#api.call('compose.attachBegin', {
          composeId,
          fileName: file.name,
          contentType: file.type,
          size: file.size,
        });
        for (let offset = 0; offset < file.size; offset += ATTACH_CHUNK_BYTES) {
          const slice = file.slice(offset, Math.min(offset + ATTACH_CHUNK_BYTES, file.size));
          await this.#api.call('compose.attachChunk', {
            uploadId,
            data: encodeBase64(new Uint8Array(await slice.arrayBuffer())),
          });
        }
        const added = await this.#api.call('compose.attachFinish', { uploadId });
        if (this.#composeId === composeId) this.#attachments = [...this.#attachments, added];
        this.touch();
      } catch (error) {
        this.#error = t('compose.attachFailed', { name: file.name, reason: errorText(error) });
      } finally {
        this.#uploading = this.#uploading.filter((name) => name !== file.name);
      }
    }
  }

  /** Electron: main shows its open dialog and reads the files. */
  async attachNative(): Promise<void> {
    const composeId = this.#composeId;
    if (composeId === null) return;
    try {
      const added = await this.#api.call('compose.chooseFiles', { composeId });
      this.#attachments = [...this.#attachments, ...added];
      if (added.length > 0) this.touch();
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  async removeAttachment(attachmentId: string): Promise<void> {
    const composeId = this.#composeId;
    if (composeId === null) return;
    try {
      await this.#api.call('compose.removeAttachment', { composeId, attachmentId });
      this.#attachments = this.#attachments.filter((a) => a.id !== attachmentId);
      this.touch();
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  async complete(query: string): Promise<AddressSuggestion[]> {
    if (query.trim().length < 1) return [];
    try {
      return await this.#api.call('addresses.complete', { query: query.trim(), limit: COMPLETION_LIMIT });
    } catch {
      return []; // completion is a convenience: typing goes on without it
    }
  }
}

function toStartRequest(request: ComposeRequest): ParamsOf<'compose.start'>['request'] {
  switch (request.kind) {
    case 'new':
      return { kind: 'new' };
    case 'forward':
      return { kind: 'forward', messageId: request.messageId, asAttachment: request.asAttachment === true };
    case 'outbox':
      return { kind: 'outbox', outboxId: request.outboxId };
    default:
      return { kind: request.kind, messageId: request.messageId };
  }
}

/** The outbox as the UI shows it: every message waiting or stopped, with its state and error. */
export class OutboxState {
  readonly #api: ApiClient;
  #items = $state.raw<OutboxItem[]>([]);
  #error = $state<string | null>(null);

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('outbox.changed', () => void this.load());
  }

  get items(): OutboxItem[] {
    return this.#items;
  }

  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    try {
      this.#items = await this.#api.call('outbox.list', {});
      this.#error = null;
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  async retry(outboxId: number): Promise<void> {
    try {
      await this.#api.call('outbox.retry', { outboxId });
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  async remove(outboxId: number): Promise<void> {
    try {
      await this.#api.call('outbox.remove', { outboxId });
    } catch (error) {
      this.#error = errorText(error);
    }
  }
}

let bound: { composer: ComposerState; outbox: OutboxState } | null = null;
let queued: ComposeRequest | null = null;

/** Called once at start-up with the app's API client. */
export function bindComposer(api: ApiClient): { composer: ComposerState; outbox: OutboxState } {
  bound = { composer: new ComposerState(api), outbox: new OutboxState(api) };
  void bound.outbox.load();
  if (queued) void bound.composer.open(queued);
  queued = null;
  return bound;
}

/** The composer and outbox state, once bindComposer ran (null without an API, e.g. no token). */
export function composerState(): { composer: ComposerState; outbox: OutboxState } | null {
  return bound;
}

/** Opens the composer: a new message, a reply / reply to all / forward of a message, or a saved draft. */
export function openComposer(request: ComposeRequest): void {
  if (bound) void bound.composer.open(request);
  else queued = request;
}
