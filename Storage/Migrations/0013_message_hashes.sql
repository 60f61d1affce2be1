-- What the sender wrote: the SHA-256 of the author headers (From, Sender, Reply-To, To, Cc, Subject, Date) and the body
-- (MailIntake.Parsing.RawMailBody). Another delivery of one message shares it; another sender or subject with the same
-- Message-ID and body does not (it was taken for a duplicate by body_sha256 alone). Mails recorded before keep NULL:
-- for them the body alone decides, as it did when they were recorded.
ALTER TABLE mails ADD COLUMN message_sha256 TEXT;

-- An outbox message's SHA-256 and size as written: store verify and the sender check that the file still holds it (a
-- message cut short by a failing disk or replaced by a link was sent as found). Rows queued before keep NULL: unchecked.
ALTER TABLE outbound ADD COLUMN mime_sha256 TEXT;
ALTER TABLE outbound ADD COLUMN mime_size INTEGER;
