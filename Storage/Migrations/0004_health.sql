-- Whether intake and sending work, and since when they have been failing: staff must be told (status, digest).
CREATE TABLE health (
    component       TEXT PRIMARY KEY,   -- intake, send
    last_success_at TEXT,
    failing_since   TEXT,
    last_error      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);
