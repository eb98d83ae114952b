-- The dispatcher's claim walked a subscription's pending deliveries in sequence, stepping over every one waiting
-- for a retry (a dead receiver's thousands) on each pass, and found a resource's first pending delivery through
-- the same index filtered by resource: on a database without statistics yet (a fresh one taking a burst) the
-- planner could not tell the two indexes apart and took the wrong one, about 120 ms a claim at 10,000 pending.
-- Now the claim walks due deliveries in time order, and "its resource's first unfinished delivery" has an index
-- whose condition (completed_at IS NULL, which the constraint makes the same as pending) no other index answers.
ALTER TABLE deliveries ADD CONSTRAINT deliveries_completed_when_finished CHECK ((status = 'pending') = (completed_at IS NULL));
DROP INDEX deliveries_pending;
DROP INDEX deliveries_pending_resource;
CREATE INDEX deliveries_due ON deliveries (subscription_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_unfinished_resource ON deliveries (subscription_id, resource_key, seq) WHERE completed_at IS NULL;
