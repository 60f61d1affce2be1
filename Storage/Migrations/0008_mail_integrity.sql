-- Issue 11: duplicates by content, damaged raw files, and errors that are retried instead of becoming verdicts.
-- body_sha256: the body after the header block (RawMailBody); the same Message-ID with another body is another mail.
ALTER TABLE mails ADD COLUMN body_sha256 TEXT;
-- flags: comma-separated, e.g. message-id-reused.
ALTER TABLE mails ADD COLUMN flags TEXT NOT NULL DEFAULT '';
-- Failed processing attempts (a passing error: I/O, a busy database, the send path); kind stays received while
-- they are retried with backoff, and becomes failed (still retried) after several.
ALTER TABLE mails ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mails ADD COLUMN last_error TEXT;
ALTER TABLE mails ADD COLUMN next_attempt_at TEXT;
DROP INDEX ux_mails_message_id;
CREATE INDEX ix_mails_message_id ON mails(message_id) WHERE message_id IS NOT NULL;
