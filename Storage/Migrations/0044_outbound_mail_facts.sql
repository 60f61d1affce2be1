-- The facts a receipt, a phone prompt, a reminder and an overdue note were queued for, as typed columns: the outbox
-- check reads them from here instead of parsing the mail's idempotency key (which stays the dedupe key).
--   reply_mail_id  the reply mail a receipt answers (receipt:MAIL-ID) or a phone prompt asks about
--                  (phone-prompt:MAIL-ID:yyyyMMdd>recipient)
--   deadline       the deadline a reminder (reminder:REF:yyyyMMdd:DAYS) or an overdue note (overdue:REF:yyyyMMdd) was
--                  queued for, yyyy-MM-dd
--   days_before    the reminder's offset before that deadline (DAYS)
-- A preview's keys carry :preview after the day's key (before >recipient for a phone prompt). Mails queued before this
-- migration get them from their keys, once, read as the check read them.
ALTER TABLE outbound ADD COLUMN reply_mail_id INTEGER;
ALTER TABLE outbound ADD COLUMN deadline TEXT;
ALTER TABLE outbound ADD COLUMN days_before INTEGER;

-- receipt:MAIL-ID — exactly two parts, the second all digits.
UPDATE outbound
SET reply_mail_id = CAST(substr(idempotency_key, length('receipt:') + 1) AS INTEGER)
WHERE kind = 'receipt'
  AND idempotency_key GLOB 'receipt:[0-9]*'
  AND substr(idempotency_key, length('receipt:') + 1) NOT GLOB '*[^0-9]*';

-- phone-prompt:MAIL-ID:… — the second part, all digits.
WITH prompts AS (
    SELECT id, substr(rest, 1, instr(rest || ':', ':') - 1) AS mail_id
    FROM (SELECT id, substr(idempotency_key, length('phone-prompt:') + 1) AS rest FROM outbound WHERE kind = 'phone-prompt' AND idempotency_key GLOB 'phone-prompt:*')
)
UPDATE outbound
SET reply_mail_id = CAST(prompts.mail_id AS INTEGER)
FROM prompts
WHERE outbound.id = prompts.id
  AND prompts.mail_id <> ''
  AND prompts.mail_id NOT GLOB '*[^0-9]*';

-- reminder:REF:yyyyMMdd:DAYS… and overdue:REF:yyyyMMdd… — the third part a real date; a reminder's fourth part, all
-- digits, its days.
WITH parts AS (
    SELECT id, kind, substr(after_ref, 1, instr(after_ref || ':', ':') - 1) AS day, substr(after_ref, instr(after_ref || ':', ':') + 1) AS after_day
    FROM (
        SELECT id, kind, substr(after_kind, instr(after_kind, ':') + 1) AS after_ref
        FROM (SELECT id, kind, substr(idempotency_key, instr(idempotency_key, ':') + 1) AS after_kind FROM outbound WHERE kind IN ('reminder', 'overdue'))
        WHERE instr(after_kind, ':') > 0
    )
),
facts AS (
    SELECT id, kind,
           CASE WHEN day GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                THEN substr(day, 1, 4) || '-' || substr(day, 5, 2) || '-' || substr(day, 7, 2) END AS deadline,
           substr(after_day, 1, instr(after_day || ':', ':') - 1) AS days
    FROM parts
)
UPDATE outbound
SET deadline = CASE WHEN date(facts.deadline) = facts.deadline THEN facts.deadline END,
    days_before = CASE WHEN facts.kind = 'reminder' AND facts.days <> '' AND facts.days NOT GLOB '*[^0-9]*' THEN CAST(facts.days AS INTEGER) END
FROM facts
WHERE outbound.id = facts.id;
