-- The arrival a mail carried before intake re-dated it (RecordReply: a mail filed under a notice is never dated before
-- that notice's issue, and such a mail is dated by its filing instead). Null for a mail never re-dated. Receipts, mail
-- show and the export say the recorded time is the filing's, and why (h23h N6: a second receipt after a restore's
-- re-read tells its own time truthfully).
ALTER TABLE mails ADD COLUMN carried_arrival TEXT;
