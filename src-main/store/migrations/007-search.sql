-- 007: search. Every path that adds a message or gives it new content (local import, POP3, the IMAP
-- header sync, a body downloaded later, a copy) leaves a row in search_pending by trigger, in the
-- same transaction; SearchIndex.index/reindex clear it. Paths that index inline (import, POP3)
-- therefore leave nothing behind, and whatever is not indexed inline is picked up by the background
-- indexer (search/background-indexer.ts) without any ingest path having to know about search.
-- Moves keep messages.id and the date, so the FTS row stays right; deletes drop it by trigger below.
CREATE TABLE search_pending (
  message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE
) STRICT;

CREATE TRIGGER search_pending_on_insert AFTER INSERT ON messages BEGIN
  INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
END;

-- A body downloaded after the headers (IMAP offline policy, POP3 size limit) arrives as a new
-- eml_path; the subject and addresses may change with it.
CREATE TRIGGER search_pending_on_new_content AFTER UPDATE OF eml_path, subject ON messages
  WHEN old.eml_path IS NOT new.eml_path OR old.subject IS NOT new.subject
BEGIN
  INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
END;

-- The FTS rowid of a message is its search key: its date in whole seconds since 1970 (clamped to
-- 0..2^32-1) shifted left 30 bits, plus messages.id (below 2^30). FTS5 keeps every term's list in
-- rowid order, so "newest first" is a walk from the end of the lists that stops after one page, a
-- date range is a rowid range, and a count needs no table lookups. A date before 1970 keys as the
-- bare id, which is exactly what 001's delete trigger removes; every other key is above any id, so
-- that trigger never touches another message's row. SearchIndex (store/search.ts) uses the same
-- formula.
CREATE TRIGGER search_fts_on_delete AFTER DELETE ON messages BEGIN
  DELETE FROM messages_fts
    WHERE rowid = ((max(0, min(old.date_ms / 1000, 4294967295)) << 30) | (old.id & 1073741823));
END;

-- A new date means a new key: drop the old row and index the message again.
CREATE TRIGGER search_fts_on_new_date AFTER UPDATE OF date_ms ON messages
  WHEN old.date_ms IS NOT new.date_ms
BEGIN
  DELETE FROM messages_fts
    WHERE rowid = ((max(0, min(old.date_ms / 1000, 4294967295)) << 30) | (old.id & 1073741823));
  INSERT OR IGNORE INTO search_pending (message_id) VALUES (new.id);
END;

-- Rows indexed before this migration are keyed by id alone: index everything again, in the
-- background, from the stored files.
INSERT INTO messages_fts (messages_fts) VALUES ('delete-all');
INSERT INTO search_pending (message_id) SELECT id FROM messages;

-- "All mail" newest first, for queries without words (is:unread, has:attachment): an index walk.
CREATE INDEX messages_by_date ON messages (date_ms);
