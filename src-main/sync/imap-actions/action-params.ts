/**
 * The parameters each kind of queued IMAP action carries (pending_actions.params_json), written by
 * the store-level actions and read back by the replay. Read back through a zod schema: a row is
 * data from disk, and a damaged one must fail clearly, not as a wrong command on the server.
 */
import { z } from 'zod';
import { MailError } from '../../domain/errors';
import { SETTABLE_FLAGS } from '../../domain/flags';
import type { PendingAction, PendingActionKind } from '../../store/pending-actions-repo';

const Path = z.string().min(1);

export const ACTION_PARAMS = {
  flags: z.object({ flag: z.enum(SETTABLE_FLAGS), value: z.boolean() }),
  move: z.object({ destination: Path }),
  copy: z.object({ destination: Path }),
  expunge: z.object({}),
  append: z.object({ destination: Path }),
  folder_create: z.object({ path: Path }),
  folder_rename: z.object({ from: Path, to: Path, delimiter: z.string().nullable().default(null) }),
  /** Deepest first: servers refuse to delete a folder that still has children. */
  folder_delete: z.object({ paths: z.array(Path).min(1) }),
} as const satisfies Record<PendingActionKind, z.ZodType>;

export type ActionParams<K extends PendingActionKind> = z.infer<(typeof ACTION_PARAMS)[K]>;

export function paramsOf<K extends PendingActionKind>(action: PendingAction, kind: K): ActionParams<K> {
  const parsed = ACTION_PARAMS[kind].safeParse(action.params);
  if (!parsed.success) {
    throw new MailError('STORE_CORRUPT', 'A queued change for the mail server is damaged.', {
      detail: `action ${action.id} (${kind}): ${parsed.error.message}`,
      retryable: false,
    });
  }
  return parsed.data as ActionParams<K>;
}
