-- A notice issued with its own improvement items (notice issue --items-file) asks for those, not the paper form's:
-- an answer for each of its items and 附件k as the evidence of item k. Notices issued before keep the form's defaults.
ALTER TABLE notices ADD COLUMN custom_items INTEGER NOT NULL DEFAULT 0;
