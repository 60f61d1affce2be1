-- A mailbox read again from its first UID because the server's store was restored under the same UIDVALIDITY and
-- handed its UIDs out again (new mail under UIDs already read): when and why, so status can say so.
ALTER TABLE mailbox_checkpoints ADD COLUMN rescanned_at TEXT;
ALTER TABLE mailbox_checkpoints ADD COLUMN rescan_reason TEXT;
