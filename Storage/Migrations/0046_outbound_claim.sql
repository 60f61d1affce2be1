-- Who holds a queued mail's send claim (OutboundRepository.TryClaim) and until when: the claiming process as
-- "PID:START-TICKS" (ProcessIdentity) and the lease it set as next_attempt_at. A claim whose process has ended (a sender
-- killed mid-send) is released at the next send pass instead of at the end of its lease (h11x F7). A row whose
-- next_attempt_at moved since (a failure's backoff) holds no claim, whatever claimed_by says.
ALTER TABLE outbound ADD COLUMN claimed_by TEXT;
ALTER TABLE outbound ADD COLUMN claimed_until TEXT;
