-- 004: the durable queue of IMAP actions (sync/imap-actions). A change the user makes to an IMAP
-- account (flags, move, copy, delete, folders) is applied to the local rows and written here in
-- the same transaction, so the store and the queue cannot disagree after a crash; the queue is then
-- replayed to the server in id order whenever a session is open, and each row is deleted in the
-- transaction that records what the server answered (a new UID learned from COPYUID/APPENDUID).
CREATE TABLE pending_actions (
  -- AUTOINCREMENT: ids are never reused, so replay order is creation order for the queue's life.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (
    kind IN ('flags', 'move', 'copy', 'expunge', 'append', 'folder_create', 'folder_rename', 'folder_delete')
  ),
  -- What the kind needs besides its messages: the flag and value, the destination path, folder paths.
  params_json TEXT NOT NULL DEFAULT '{}',
  -- 'sending': the command may have reached the server before a crash (replay must not repeat a
  -- side effect that is not idempotent); 'failed': refused too often, kept for diagnosis only.
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX pending_actions_by_account ON pending_actions (account_id, state, id);

-- The messages an action touches, each by where it is on the server when the action runs.
CREATE TABLE pending_action_messages (
  action_id INTEGER NOT NULL REFERENCES pending_actions (id) ON DELETE CASCADE,
  -- The local message standing for the server one. No foreign key on purpose: a message deleted
  -- here (from Trash, with its folder) must still be expunged on the server by this row.
  message_id INTEGER NOT NULL,
  folder_path TEXT NOT NULL,
  -- Its UID in folder_path (RFC 3501 §2.3.1.1); NULL while an earlier queued move or copy has not
  -- told us yet (RFC 4315 COPYUID), filled in by the replay of that earlier action.
  uid INTEGER,
  -- move/copy/append: the local row that stands for the message in the destination.
  target_message_id INTEGER,
  -- The folder's UIDVALIDITY when the action was queued (NULL if never synced): if the server's
  -- differs at replay, the UID names another message now (RFC 3501 §2.3.1.1) and is not used.
  uidvalidity INTEGER,
  PRIMARY KEY (action_id, message_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX pending_action_messages_by_message ON pending_action_messages (message_id);
CREATE INDEX pending_action_messages_by_target ON pending_action_messages (target_message_id)
  WHERE target_message_id IS NOT NULL;
