-- The outbox: events written in the same transaction as the state change they describe, until the relay has
-- published them with a broker confirm. `partition` spreads ordering keys over relay workers while keeping
-- each key's events in one partition, so they leave in the order they were written.
CREATE TABLE outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     uuid        NOT NULL UNIQUE,
    partition      smallint    NOT NULL,
    ordering_key   text,
    tenant_id      text,
    message_type   text        NOT NULL,
    payload        jsonb       NOT NULL,
    correlation_id text,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at        timestamptz,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text
);

CREATE INDEX outbox_pending ON outbox (partition, seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- The inbox: one row per message a consumer has applied, written in the consumer's own transaction.
CREATE TABLE inbox (
    message_id  uuid        NOT NULL,
    consumer    text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);

CREATE INDEX inbox_received ON inbox (received_at);

-- Wake the relays when outbox rows are committed (NOTIFY is delivered at commit, never for a rolled-back
-- transaction). The channel is per schema, so services sharing a database do not wake each other.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mach_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
