-- A completion date the organisation wrote that is no date (115年13月1日) is kept as written: notice show and the
-- export repeat it with the doubt, instead of calling the date not filled in. Replies filed before keep NULL.
ALTER TABLE replies ADD COLUMN completed_unreadable TEXT;
