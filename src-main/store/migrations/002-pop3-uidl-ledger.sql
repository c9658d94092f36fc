-- 002: the POP3 UIDL ledger. RFC 1939 §7: a unique-id names a message in a maildrop across
-- sessions, while message numbers last one session only. One row per unique-id this account's
-- maildrop showed us and we stored; it outlives the local message, so that
--   * a message deleted here is not downloaded again while it stays on the server;
--   * "delete from server after N days" knows when the message first arrived (first_seen_ms);
--   * "delete from server when I delete it here" knows what was deleted (state 'deleted_here');
--   * a message stored as headers only (the size limit) is known to need its full download.
-- The row and the message row are written in one transaction, so the ledger never claims a
-- message that the store does not have. Rows whose unique-id left the server are pruned.
CREATE TABLE pop3_uidls (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  uidl TEXT NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('downloaded', 'deleted_here', 'headers_only')),
  -- The local copy while it exists; NULL once it was deleted here.
  message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  PRIMARY KEY (account_id, uidl)
) STRICT, WITHOUT ROWID;

-- ON DELETE SET NULL and markDeletedHere look rows up by message.
CREATE INDEX pop3_uidls_by_message ON pop3_uidls (message_id) WHERE message_id IS NOT NULL;

-- Whatever removes a POP3 message from the store (expunge, emptying Trash, deleting its folder)
-- counts as "deleted here", even if the caller forgot to tell the POP3 engine.
CREATE TRIGGER pop3_uidls_deleted_here AFTER DELETE ON messages
  WHEN old.pop3_uidl IS NOT NULL
BEGIN
  UPDATE pop3_uidls SET state = 'deleted_here', message_id = NULL
    WHERE account_id = old.account_id AND uidl = old.pop3_uidl;
END;
