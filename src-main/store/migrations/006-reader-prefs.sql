-- 006: reader preferences. Senders whose mail may load remote content (images, backgrounds) without
-- asking each time ("Always for this sender"). Remote content is blocked by default because loading
-- it tells the sender when, where and that a message was read. The address is stored lower-cased
-- (RFC 5321 §2.4 lets the local part be case-sensitive, but no real mailbox relies on that, and a
-- case-insensitive match is what a user expects of a preference).
CREATE TABLE remote_content_senders (
  address TEXT NOT NULL PRIMARY KEY CHECK (address = lower(address) AND length(address) BETWEEN 3 AND 320),
  added_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
