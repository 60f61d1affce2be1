-- Organisations of the exchange system's registry.
CREATE TABLE organisations (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT,
    contact     TEXT,
    updated_at  TEXT NOT NULL
);

CREATE TABLE organisation_emails (
    org_code    TEXT NOT NULL REFERENCES organisations(code) ON DELETE CASCADE,
    email       TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (org_code, email)
);
CREATE INDEX ix_organisation_emails_email ON organisation_emails(email);

-- Deadline improvement notices (限期改善單).
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    org_code        TEXT NOT NULL REFERENCES organisations(code),
    status          TEXT NOT NULL,
    host_ip         TEXT NOT NULL,
    malicious_ips   TEXT NOT NULL,       -- comma separated
    incident_from   TEXT NOT NULL,       -- yyyy-MM-dd
    incident_to     TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    items           TEXT NOT NULL,       -- improvement items, one per line
    issued_at       TEXT NOT NULL        -- ISO 8601 instant
);
CREATE INDEX ix_notices_org_status ON notices(org_code, status);

-- Every received mail, recorded (raw file + hash) before anything else happens to it.
CREATE TABLE mails (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT,
    sha256          TEXT NOT NULL,
    raw_path        TEXT NOT NULL,       -- relative to DataDirectory
    size            INTEGER NOT NULL,
    source          TEXT NOT NULL,       -- e.g. imap:INBOX:1234:5 or folder:name.eml
    received_at     TEXT NOT NULL,
    kind            TEXT NOT NULL,       -- received (not yet processed), reply, auto-reply, bounce, unmatched, ambiguous, suspicious
    from_address    TEXT,
    subject         TEXT,
    notice_id       INTEGER REFERENCES notices(id),
    reason          TEXT,
    processed_at    TEXT
);
CREATE UNIQUE INDEX ux_mails_message_id ON mails(message_id) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX ux_mails_sha256 ON mails(sha256);
CREATE INDEX ix_mails_kind ON mails(kind);

-- A mail filed as a reply to a notice.
CREATE TABLE replies (
    mail_id         INTEGER PRIMARY KEY REFERENCES mails(id),
    notice_id       INTEGER NOT NULL REFERENCES notices(id),
    matched_by      TEXT NOT NULL,
    filler_name     TEXT,
    filler_phone    TEXT,
    filler_email    TEXT,
    completed_on    TEXT,
    filed_at        TEXT NOT NULL
);
CREATE INDEX ix_replies_notice ON replies(notice_id);

-- Attachments of a mail, stored once by content hash.
CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY,
    mail_id         INTEGER NOT NULL REFERENCES mails(id),
    ordinal         INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    original_name   TEXT,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    item            INTEGER,
    flags           TEXT NOT NULL,       -- comma separated
    content_type    TEXT,
    UNIQUE (mail_id, ordinal)
);

-- Mailbox progress: (UIDVALIDITY, last UID) per mailbox folder.
CREATE TABLE mailbox_checkpoints (
    mailbox         TEXT PRIMARY KEY,
    uid_validity    INTEGER NOT NULL,
    last_uid        INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Everything that happened to a notice.
CREATE TABLE timeline (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES notices(id),
    at              TEXT NOT NULL,
    event           TEXT NOT NULL,
    detail          TEXT
);
CREATE INDEX ix_timeline_notice ON timeline(notice_id, id);

-- Outgoing mail: a row first, then sent.
CREATE TABLE outbound (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL,
    notice_id           INTEGER REFERENCES notices(id),
    recipients          TEXT NOT NULL,   -- comma separated
    subject             TEXT NOT NULL,
    idempotency_key     TEXT NOT NULL UNIQUE,
    message_id          TEXT NOT NULL UNIQUE,
    mime_path           TEXT NOT NULL,   -- the rendered message, relative to DataDirectory
    status              TEXT NOT NULL,   -- queued, sent, failed, bounced
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,
    last_error          TEXT,
    created_at          TEXT NOT NULL,
    sent_at             TEXT
);
CREATE INDEX ix_outbound_due ON outbound(status, next_attempt_at);
