-- A phone call about an email reply records its result; only 'reached' confirms the reply.
ALTER TABLE phone_confirmations ADD COLUMN result TEXT NOT NULL DEFAULT 'reached';

-- Staff settle a mail that needs no notice (spam, misdirected): it leaves the digest's list.
ALTER TABLE mails ADD COLUMN dismissed_at TEXT;
ALTER TABLE mails ADD COLUMN dismissed_by TEXT;
ALTER TABLE mails ADD COLUMN dismissed_reason TEXT;

-- Whether the reply returned the notice form itself (a filled .docx/.odt/PDF form or a scan of the stamped form).
ALTER TABLE replies ADD COLUMN form_returned INTEGER NOT NULL DEFAULT 0;
