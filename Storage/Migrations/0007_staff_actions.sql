-- Action links staff used by mail (signed mailto links): a link works once. The row is written in the same
-- transaction as the change the action made, so a second mail with the same link finds it and changes nothing.
CREATE TABLE staff_actions (
    nonce       TEXT PRIMARY KEY,
    action      TEXT NOT NULL,       -- the token's action code (cr, cn, as, dm, fc, fe, fo, fs, is)
    target      TEXT NOT NULL,       -- notice id, mail id, or mail id-notice id
    member      TEXT NOT NULL,       -- the member's address the link was signed for
    mail_id     INTEGER NOT NULL REFERENCES mails(id),
    notice_id   INTEGER REFERENCES notices(id),
    used_at     TEXT NOT NULL
);
