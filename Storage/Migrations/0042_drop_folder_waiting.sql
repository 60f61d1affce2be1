-- Drop-folder files staff must hear of although the pass went on (h15h K1, K6): one some process keeps open for
-- writing, unchanged past the patience for unfinished drops (not read), and one recorded but not movable to
-- processed/. Each pass over the folder replaces the rows with what it found, so status and the digest (other
-- processes) read what the last pass saw.
CREATE TABLE drop_folder_waiting (
    path     TEXT NOT NULL PRIMARY KEY, -- the file's full path in the drop folder
    reason   TEXT NOT NULL,             -- 'open-for-writing' | 'not-moved'
    since    TEXT NOT NULL,             -- open-for-writing: unchanged since; not-moved: the first pass that could not move it
    detail   TEXT,                      -- not-moved: why (zh-TW, as staff read it)
    seen_at  TEXT NOT NULL              -- the last pass that found it so
);
