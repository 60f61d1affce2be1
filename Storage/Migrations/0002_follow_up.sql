-- Phone confirmations of email replies (the form: 以電子郵件方式回復者，應再以電話確認之).
CREATE TABLE phone_confirmations (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES notices(id),
    mail_id         INTEGER NOT NULL REFERENCES mails(id),   -- the email reply that was confirmed
    confirmed_by    TEXT NOT NULL,
    confirmed_at    TEXT NOT NULL,
    note            TEXT,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX ix_phone_confirmations_notice ON phone_confirmations(notice_id);

-- The tracking evaluation form (追蹤評估表): at most three rounds per notice.
CREATE TABLE follow_ups (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES notices(id),
    round           INTEGER NOT NULL CHECK (round BETWEEN 1 AND 3),
    result          TEXT NOT NULL CHECK (result IN ('completed', 'extended', 'suspended', 'other')),
    until_date      TEXT,
    suspend_from    TEXT,
    tracked_by      TEXT NOT NULL,
    tracked_at      TEXT NOT NULL,
    note            TEXT,
    recorded_at     TEXT NOT NULL,
    UNIQUE (notice_id, round)
);

-- The deadline as first issued; notices.deadline moves with an extension.
ALTER TABLE notices ADD COLUMN original_deadline TEXT;
UPDATE notices SET original_deadline = deadline;

-- What the scheduled sweepers have done, so a rerun, a misfire or a restart never does it twice.
CREATE TABLE sweep_marks (
    key         TEXT PRIMARY KEY,
    notice_id   INTEGER REFERENCES notices(id),
    at          TEXT NOT NULL
);
