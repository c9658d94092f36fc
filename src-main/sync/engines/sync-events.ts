/**
 * The events the background engines send the UI, declared here because sync/ may not import api/
 * (ARCHITECTURE.md): the API's EventBus fits this shape, so compose.ts passes it in as it is.
 * Payloads match contract.ts's `events`.
 */
import type { AccountId, FolderId } from '../../domain/ids';
import type { SqliteMailStore } from '../../store/mail-store';
import type { EngineStatus } from './account-engine';

export interface SyncEventSink {
  emit(event: 'sync.state', payload: EngineStatus): void;
  emit(
    event: 'sync.progress',
    payload: { accountId: AccountId; phase: string; done: number; total: number },
  ): void;
  emit(
    event: 'counts.changed',
    payload: { folders: Array<{ folderId: FolderId; unread: number; total: number }> },
  ): void;
  emit(event: 'messages.changed', payload: { folderIds: FolderId[] }): void;
  emit(event: 'folders.changed', payload: { accountId: AccountId }): void;
  emit(event: 'mail.arrived', payload: { accountId: AccountId; folderId: FolderId; count: number }): void;
}

/** Tells every UI that these folders' lists and unread/total counts changed. */
export function announceFolderChanges(
  store: Pick<SqliteMailStore, 'messages'>,
  events: SyncEventSink,
  folderIds: readonly FolderId[],
): void {
  if (folderIds.length === 0) return;
  const counts = store.messages.countsFor(folderIds);
  events.emit('counts.changed', {
    folders: folderIds.map((folderId) => ({
      folderId,
      ...(counts.get(folderId) ?? { unread: 0, total: 0 }),
    })),
  });
  events.emit('messages.changed', { folderIds: [...folderIds] });
}
