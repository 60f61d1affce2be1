-- The state of its notice a reminder or receipt was written for (status, deadline, replies, calls, rounds). Before such a
-- mail is sent the sender compares it with the notice's state then: a mail whose notice has changed meanwhile (the case
-- was completed while the mail server was down) is written again from the state of the day, or withdrawn when it no
-- longer has anything true to say. Rows queued before keep NULL: sent as written.
ALTER TABLE outbound ADD COLUMN notice_state TEXT;
