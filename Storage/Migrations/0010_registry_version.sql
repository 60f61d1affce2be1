-- What the reply matcher knows of the registry (notice references, their organisation and whether they are open; the
-- organisation codes; the registered addresses) is kept in memory between mails and read again only when this version
-- moves. The triggers bump it in the same transaction as the write, whoever writes (the program, an import, a repair by
-- hand in sqlite3): a reply filed (issued → replied) does not move it, only an open/closed change does.
CREATE TABLE registry_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 1);

CREATE TRIGGER registry_version_notice_insert AFTER INSERT ON notices
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_notice_delete AFTER DELETE ON notices
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_notice_update AFTER UPDATE OF reference, org_code ON notices
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
-- Closed = completed or suspended (StoredCodes.ClosedStatuses; a Storage test holds the two lists together).
CREATE TRIGGER registry_version_notice_status AFTER UPDATE OF status ON notices
WHEN (OLD.status IN ('completed', 'suspended')) <> (NEW.status IN ('completed', 'suspended'))
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER registry_version_org_insert AFTER INSERT ON organisations
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_org_delete AFTER DELETE ON organisations
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_org_update AFTER UPDATE OF code ON organisations
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER registry_version_email_insert AFTER INSERT ON organisation_emails
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_email_delete AFTER DELETE ON organisation_emails
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registry_version_email_update AFTER UPDATE ON organisation_emails
BEGIN UPDATE registry_version SET version = version + 1 WHERE id = 1; END;

-- The receipt rate limit counts one kind's mails of the last hour: read by its index, not by scanning every mail ever sent.
CREATE INDEX ix_outbound_kind_created ON outbound(kind, created_at);
