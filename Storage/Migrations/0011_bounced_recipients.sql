-- Which recipients of a sent mail bounced (comma-separated, as recipients): a delivery report names the failed
-- recipient, and a mail to several addresses of an organisation that bounced for one of them still reached the others.
-- The mail's status becomes 'bounced' only when every recipient bounced.
ALTER TABLE outbound ADD COLUMN bounced_to TEXT NOT NULL DEFAULT '';
