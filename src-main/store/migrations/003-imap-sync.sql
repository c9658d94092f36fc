-- 003: what the IMAP sync engine looks rows up by.
-- A message whose body is still on the server (headers synced first, or the account's offline
-- policy keeps only headers) has eml_path = '' until its body is downloaded: the header sync
-- writes no file per message, which is what lets the newest 100 headers show within a second.
-- This index lists, per folder, what the body phase still has to download, newest UID first.
CREATE INDEX messages_without_body ON messages (folder_id, imap_uid) WHERE eml_path = '';

-- A message moved or copied here by a queued action has imap_uid NULL until the replay learns its
-- new UID (RFC 4315 COPYUID); the sync matches an unknown server UID to such a row by Message-ID
-- before inserting, so the move never shows twice.
CREATE INDEX messages_awaiting_uid ON messages (folder_id, message_id_header) WHERE imap_uid IS NULL;
