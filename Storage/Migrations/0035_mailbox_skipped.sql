-- IMAP mail left on the server for now because its RFC822.SIZE was larger than the DataDirectory's free space: the
-- checkpoint passes it (later mail is not held up behind it), and every pass tries these again until each is recorded
-- (or gone from the server).
CREATE TABLE mailbox_skipped (
    mailbox      TEXT    NOT NULL,
    uid_validity INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    sender       TEXT,
    free_bytes   INTEGER NOT NULL,
    skipped_at   TEXT    NOT NULL,
    PRIMARY KEY (mailbox, uid_validity, uid)
);
