-- Events that carry personal data of an erased profile (the erasure request itself) are deleted as soon as the
-- broker has confirmed them, instead of being kept as sent rows until pruning.
ALTER TABLE outbox ADD COLUMN delete_when_sent boolean NOT NULL DEFAULT false;
