-- 005: the outbox. "Send" stores the message here (and its .eml, and a row in the Local Folders
-- Outbox) before any network step; the engine then submits it. The state is written before the
-- content goes out and after the server's final reply, so a message is submitted at most once:
--   queued     waiting for its attempt at next_attempt_ms;
--   sending    an attempt is connecting/naming recipients (nothing sent yet: safe to retry);
--   data       the content started to go out (after the 354 reply, RFC 5321 §4.1.1.4);
--   sent       the server accepted it (250); the Sent copy and flags may still be due;
--   failed     the server refused it for good (sign-in, recipient, size): the user fixes and retries;
--   unknown    the connection broke during DATA: it may have been delivered; never resent silently.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- The copy in the Local Folders Outbox the user sees; the .eml path is kept apart, so the item
  -- survives the user deleting that row.
  message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  eml_path TEXT NOT NULL,
  -- Stable for every attempt (without angle brackets): one message, however often it is tried.
  message_id_header TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients_json TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'data', 'sent', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  error_detail TEXT,
  server_response TEXT,
  -- The message this one replies to or forwards (for \Answered / $Forwarded), if any.
  original_message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  original_kind TEXT CHECK (original_kind IN ('answered', 'forwarded')),
  -- The draft this message was sent from, removed once it is sent.
  draft_message_id_header TEXT,
  created_ms INTEGER NOT NULL,
  sent_ms INTEGER,
  -- The Sent copy is saved (IMAP APPEND or local Sent): a follow-up retried later must not save twice.
  sent_copy_saved INTEGER NOT NULL DEFAULT 0 CHECK (sent_copy_saved IN (0, 1))
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
CREATE INDEX outbox_by_message ON outbox (message_id) WHERE message_id IS NOT NULL;
