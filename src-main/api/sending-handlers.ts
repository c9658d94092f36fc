/**
 * The Sending part of the API (issue 6): composers, attachments, drafts, the outbox and address
 * completion, over sync/outbox. Spread into createService's handlers.
 */
import { MailError } from '../domain/errors';
import type { SqliteMailStore } from '../store/mail-store';
import type { OutboxItem } from '../store/outbox-repo';
import type { ComposeSessions, OutboxEngine } from '../sync/outbox';
import type { ApiHandlers, MethodName } from './contract';
import type { OutboxItemView, sendingMethods } from './sending-contract';

/** Electron's native open dialog for attachments; null in browser mode (the page picks files). */
export interface AttachmentFilePicker {
  chooseAttachmentFiles(): Promise<string[]>;
}

export interface SendingServiceDeps {
  store: SqliteMailStore;
  composer: ComposeSessions;
  outbox: OutboxEngine;
  attachmentPicker: AttachmentFilePicker | null;
}

type SendingHandlers = Pick<ApiHandlers, keyof typeof sendingMethods & MethodName>;

export function outboxItemView(item: OutboxItem): OutboxItemView {
  return {
    id: item.id,
    accountId: item.accountId,
    messageId: item.messageId,
    subject: item.subject,
    recipients: item.recipients,
    size: item.size,
    state: item.state,
    attempts: item.attempts,
    nextAttemptAt: item.nextAttemptAt,
    error: item.error,
    createdAt: item.createdAt,
  };
}

export function createSendingHandlers(deps: SendingServiceDeps): SendingHandlers {
  const { composer, outbox } = deps;
  return {
    'compose.start': async ({ request }) => composer.start(request),

    'compose.attachBegin': async ({ composeId, fileName, contentType, size }) => ({
      uploadId: composer.attachBegin(composeId, fileName, contentType, size),
    }),

    'compose.attachChunk': async ({ uploadId, data }) => ({
      bytes: composer.attachChunk(uploadId, Buffer.from(data, 'base64')),
    }),

    'compose.attachFinish': async ({ uploadId }) => composer.attachFinish(uploadId),

    'compose.chooseFiles': async ({ composeId }) => {
      if (!deps.attachmentPicker) {
        throw new MailError('BAD_REQUEST', 'Choose the files in the page: this window has no file dialog.', {
          retryable: false,
        });
      }
      const files = await deps.attachmentPicker.chooseAttachmentFiles();
      return composer.attachPaths(composeId, files);
    },

    'compose.removeAttachment': async ({ composeId, attachmentId }) => {
      composer.removeAttachment(composeId, attachmentId);
      return {};
    },

    'compose.saveDraft': async ({ composeId, fields }) => composer.saveDraft(composeId, fields),

    'compose.send': async ({ composeId, fields }) => ({
      outboxId: (await composer.send(composeId, fields)).id,
    }),

    'compose.close': async ({ composeId, discardDraft }) => {
      if (discardDraft) await composer.discard(composeId);
      else composer.close(composeId);
      return {};
    },

    'outbox.list': async () => outbox.list().map(outboxItemView),

    'outbox.retry': async ({ outboxId }) => {
      outbox.retry(outboxId);
      return {};
    },

    'outbox.remove': async ({ outboxId }) => {
      await outbox.remove(outboxId);
      return {};
    },

    'addresses.complete': async ({ query, limit }) => deps.store.composer.completeAddresses(query, limit),
  };
}
