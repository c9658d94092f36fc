-- 008: Chinese, Japanese and Korean text is indexed as overlapping bigrams (store/search-cjk.ts),
-- so that 東京 is found in 東京都に行きます. Rows indexed before this migration hold such runs as one
-- long token: empty the index and list every message for the background indexer, which indexes it
-- again from the stored files (search/background-indexer.ts) without blocking the app.
INSERT INTO messages_fts (messages_fts) VALUES ('delete-all');
INSERT OR IGNORE INTO search_pending (message_id) SELECT id FROM messages;
