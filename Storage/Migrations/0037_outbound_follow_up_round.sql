-- The follow-up round an extension mail announces, as a typed column: the outbox check and the documents read it
-- from here instead of parsing the mail's idempotency key (extension:REF:ROUND). Mails queued before this migration
-- get it from that key's trailing number, once.
ALTER TABLE outbound ADD COLUMN follow_up_round INTEGER;

UPDATE outbound
SET follow_up_round = CAST(substr(idempotency_key, length(rtrim(idempotency_key, '0123456789')) + 1) AS INTEGER)
WHERE kind = 'extension'
  AND idempotency_key LIKE 'extension:%:%'
  AND length(rtrim(idempotency_key, '0123456789')) < length(idempotency_key)
  AND substr(idempotency_key, length(rtrim(idempotency_key, '0123456789')), 1) = ':';
