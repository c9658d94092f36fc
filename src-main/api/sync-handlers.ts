/**
 * "Get mail" (`mail.check`) and the connection state of every server account (`sync.status`),
 * answered by the background engines' registry (sync/engines/account-engines.ts). Spread into
 * the service in service.ts.
 */
import { asAccountId, type MessageId } from '../domain/ids';
import type { EngineStatus } from '../sync/engines/account-engine';
import type { ApiHandlers } from './contract';

/** What the API needs of AccountEngines. */
export interface SyncEnginesApi {
  checkNow(accountId?: ReturnType<typeof asAccountId>): Promise<void>;
  statuses(): EngineStatus[];
  ensureBody(messageId: MessageId): Promise<void>;
}

type SyncHandlers = Pick<ApiHandlers, 'mail.check' | 'sync.status'>;

export function createSyncHandlers(engines: SyncEnginesApi | null): SyncHandlers {
  return {
    'mail.check': async ({ accountId }) => {
      await engines?.checkNow(accountId === undefined ? undefined : asAccountId(accountId));
      return {};
    },
    'sync.status': async () =>
      (engines?.statuses() ?? []).map((status) => ({
        accountId: status.accountId,
        state: status.state,
        message: status.message,
        pendingActions: status.pendingActions,
        ...(status.checkDeferredUntil != null ? { checkDeferredUntil: status.checkDeferredUntil } : {}),
      })),
  };
}
