/**
 * Branded ids: a FolderId cannot be passed where a MessageId is expected, although both are numbers
 * (SQLite rowids) on the wire.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AccountId = Brand<number, 'AccountId'>;
export type FolderId = Brand<number, 'FolderId'>;
export type MessageId = Brand<number, 'MessageId'>;

export const asAccountId = (n: number): AccountId => n as AccountId;
export const asFolderId = (n: number): FolderId => n as FolderId;
export const asMessageId = (n: number): MessageId => n as MessageId;
