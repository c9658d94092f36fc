import type { AccountId } from './ids';

/**
 * "local" is the embedded Local Folders account that exists from the first start, before any
 * server account is set up; IMAP and POP3 accounts come with account setup.
 */
export const ACCOUNT_KINDS = ['local', 'imap', 'pop3'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface Account {
  id: AccountId;
  kind: AccountKind;
  /** What the folder pane shows for the account: "Local Folders" or the address. */
  displayName: string;
  /** The user's address; null for Local Folders. */
  email: string | null;
  createdAt: number;
}

export const LOCAL_FOLDERS_NAME = 'Local Folders';
