-- The organisation's name as the notice was sent to it: a later rename in the registry (orgs import) must not rewrite
-- the notice as sent, its export or the documents the Archives get. Notices issued before keep the registry's name of
-- today (the best there is).
ALTER TABLE notices ADD COLUMN org_name TEXT;
UPDATE notices SET org_name = (SELECT name FROM organisations WHERE organisations.code = notices.org_code);
