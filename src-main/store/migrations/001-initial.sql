-- 001: accounts, folders, messages, folder counters and the full-text index.
-- Tables are STRICT so a wrong type is an error, not a silent conversion.

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('local', 'imap', 'pop3')),
  display_name TEXT NOT NULL,
  email TEXT,
  settings_json TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  delimiter TEXT NOT NULL DEFAULT '/',
  role TEXT CHECK (role IN ('inbox', 'drafts', 'sent', 'trash', 'junk', 'archive', 'outbox')),
  -- IMAP sync state (RFC 3501 §2.3.1.1 UIDVALIDITY/UIDNEXT, RFC 7162 HIGHESTMODSEQ); NULL until synced.
  uidvalidity INTEGER,
  uidnext INTEGER,
  highestmodseq INTEGER,
  UNIQUE (account_id, path)
) STRICT;

CREATE INDEX folders_by_parent ON folders (parent_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  message_id_header TEXT,
  subject TEXT NOT NULL DEFAULT '',
  from_name TEXT,
  from_addr TEXT,
  to_json TEXT NOT NULL DEFAULT '[]',
  cc_json TEXT NOT NULL DEFAULT '[]',
  date_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  size INTEGER NOT NULL,
  is_seen INTEGER NOT NULL DEFAULT 0 CHECK (is_seen IN (0, 1)),
  is_flagged INTEGER NOT NULL DEFAULT 0 CHECK (is_flagged IN (0, 1)),
  is_answered INTEGER NOT NULL DEFAULT 0 CHECK (is_answered IN (0, 1)),
  is_forwarded INTEGER NOT NULL DEFAULT 0 CHECK (is_forwarded IN (0, 1)),
  is_draft INTEGER NOT NULL DEFAULT 0 CHECK (is_draft IN (0, 1)),
  is_deleted INTEGER NOT NULL DEFAULT 0 CHECK (is_deleted IN (0, 1)),
  keywords_json TEXT NOT NULL DEFAULT '[]',
  has_attachments INTEGER NOT NULL DEFAULT 0 CHECK (has_attachments IN (0, 1)),
  thread_key TEXT NOT NULL,
  snippet TEXT NOT NULL DEFAULT '',
  -- Sort keys computed on insert (lower case, accents and reply prefixes removed), so that sorting
  -- by sender or subject is a plain index walk.
  sort_sender TEXT NOT NULL DEFAULT '',
  sort_subject TEXT NOT NULL DEFAULT '',
  -- Relative to the data directory: the store can move with its directory.
  eml_path TEXT NOT NULL,
  imap_uid INTEGER,
  pop3_uidl TEXT,
  parse_state TEXT NOT NULL DEFAULT 'ok' CHECK (parse_state IN ('ok', 'damaged'))
) STRICT;

-- Paging: one index per sort key. Every SQLite index entry ends with the rowid, so
-- (folder_id, key) is ordered by (key, id) and serves ORDER BY key, id in both directions, and the
-- OFFSET skip reads only the index (see messages-repo.ts).
CREATE INDEX messages_page_by_date ON messages (folder_id, date_ms);
CREATE INDEX messages_page_by_sender ON messages (folder_id, sort_sender);
CREATE INDEX messages_page_by_subject ON messages (folder_id, sort_subject);
CREATE INDEX messages_page_by_size ON messages (folder_id, size);
-- Unread lookups ("next unread", recounting).
CREATE INDEX messages_by_folder_seen ON messages (folder_id, is_seen);
-- Threading and the accounts foreign key.
CREATE INDEX messages_by_account_message_id ON messages (account_id, message_id_header);
CREATE INDEX messages_by_thread ON messages (thread_key);
-- A POP3 UIDL (RFC 1939 §7) or an IMAP UID (RFC 3501 §2.3.1.1) is stored at most once: this is
-- what makes a download that is interrupted and retried free of duplicates.
CREATE UNIQUE INDEX messages_unique_pop3_uidl ON messages (account_id, pop3_uidl) WHERE pop3_uidl IS NOT NULL;
CREATE UNIQUE INDEX messages_unique_imap_uid ON messages (folder_id, imap_uid) WHERE imap_uid IS NOT NULL;

-- Full-text search, rowid = messages.id. Contentless (content=''): the text already lives in the
-- .eml files, so a second copy of every body would roughly double the database for nothing; the
-- index alone answers MATCH, and snippets come from messages.snippet or a parse of the .eml.
-- contentless_delete=1 (SQLite 3.43) lets a row be deleted by rowid alone, without its old text.
CREATE VIRTUAL TABLE messages_fts USING fts5(
  subject, "from", "to", cc, body, attachment_names,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 2"
);

-- Unread/total per folder, kept by triggers in the same transaction as the change, so they cannot
-- drift and reading them is O(1) whatever the folder size (an indexed COUNT over a 100k folder
-- costs milliseconds per call; see messages-repo.ts).
CREATE TABLE folder_counts (
  folder_id INTEGER PRIMARY KEY REFERENCES folders (id) ON DELETE CASCADE,
  total INTEGER NOT NULL DEFAULT 0,
  unread INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER folder_counts_row AFTER INSERT ON folders BEGIN
  INSERT INTO folder_counts (folder_id) VALUES (new.id);
END;

CREATE TRIGGER messages_counted_on_insert AFTER INSERT ON messages BEGIN
  UPDATE folder_counts SET total = total + 1, unread = unread + (new.is_seen = 0)
    WHERE folder_id = new.folder_id;
END;

CREATE TRIGGER messages_counted_on_delete AFTER DELETE ON messages BEGIN
  UPDATE folder_counts SET total = total - 1, unread = unread - (old.is_seen = 0)
    WHERE folder_id = old.folder_id;
  DELETE FROM messages_fts WHERE rowid = old.id;
END;

CREATE TRIGGER messages_counted_on_update AFTER UPDATE OF is_seen, folder_id ON messages
  WHEN old.is_seen IS NOT new.is_seen OR old.folder_id IS NOT new.folder_id
BEGIN
  UPDATE folder_counts SET total = total - 1, unread = unread - (old.is_seen = 0)
    WHERE folder_id = old.folder_id;
  UPDATE folder_counts SET total = total + 1, unread = unread + (new.is_seen = 0)
    WHERE folder_id = new.folder_id;
END;
