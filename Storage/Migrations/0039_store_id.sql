-- The store's own id, random, kept in the database so that a backup carries it and a restored store is the same store:
-- the drop folder a store takes mail from is claimed by this id (a marker file there), and a store with another id
-- (a `run --once` from a shell lacking the DataDirectory setting, a second DataDirectory) takes nothing from it.
INSERT INTO sweep_marks (key, notice_id, at)
SELECT 'store:id:' || lower(hex(randomblob(16))), NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE NOT EXISTS (SELECT 1 FROM sweep_marks WHERE key LIKE 'store:id:%');
