-- A mail without a Message-ID is known again by its author headers and body (message_sha256): looked up at every
-- recording, so indexed (only those rows: a mail with a Message-ID is found by it).
CREATE INDEX ix_mails_message_sha256 ON mails(message_sha256) WHERE message_id IS NULL;
