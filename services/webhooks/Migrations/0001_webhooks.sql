-- Webhooks: the tenant's subscriptions, every event received (the payload as it is signed and sent), one
-- delivery per subscription and event, and each attempt at it. The application role and its grants come from
-- the migration runner; tenant filter in every query, row-level security as the second wall. The dispatcher
-- works across tenants under the service's login (it reads no tenant's data for anybody but that tenant's receiver).

CREATE TABLE subscriptions (
    id                  uuid PRIMARY KEY,
    tenant_id           text NOT NULL,
    url                 text NOT NULL,
    description         text NOT NULL DEFAULT '',
    event_types         text[] NOT NULL,
    active              boolean NOT NULL DEFAULT true,
    disabled_reason     text,
    -- Standard Webhooks secrets ("whsec_" + base64): the current one and, while a rotation overlaps, the previous.
    secret              text NOT NULL,
    previous_secret     text,
    previous_secret_expires_at timestamptz,
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1
);
CREATE INDEX subscriptions_listing ON subscriptions (tenant_id, id);
CREATE INDEX subscriptions_by_type ON subscriptions USING gin (event_types) WHERE active;

CREATE TABLE events (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    type            text NOT NULL,
    resource_key    text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    payload         text NOT NULL
);
CREATE INDEX events_by_time ON events (tenant_id, received_at);

CREATE TABLE deliveries (
    id              uuid PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id       text NOT NULL,
    subscription_id uuid NOT NULL REFERENCES subscriptions ON DELETE CASCADE,
    event_id        uuid NOT NULL REFERENCES events ON DELETE CASCADE,
    event_type      text NOT NULL,
    resource_key    text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- The give-up clock starts at the first attempt: a delivery queued behind its resource's earlier ones has not failed yet.
    first_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    completed_at    timestamptz,
    UNIQUE (subscription_id, event_id)
);
-- The dispatcher walks each subscription's pending deliveries in order; a resource's next one waits for the one before.
CREATE INDEX deliveries_pending ON deliveries (subscription_id, seq) WHERE status = 'pending';
CREATE INDEX deliveries_pending_resource ON deliveries (subscription_id, resource_key, seq) WHERE status = 'pending';
CREATE INDEX deliveries_log ON deliveries (subscription_id, id);
CREATE INDEX deliveries_event ON deliveries (event_id);

CREATE TABLE attempts (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    delivery_id     uuid NOT NULL REFERENCES deliveries ON DELETE CASCADE,
    attempted_at    timestamptz NOT NULL,
    status_code     integer,
    error           text,
    duration_ms     integer NOT NULL,
    response_body   text
);
CREATE INDEX attempts_of_delivery ON attempts (delivery_id, attempted_at);

CREATE TABLE audit_log (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    subscription_id uuid,
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_listing ON audit_log (tenant_id, id);

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON subscriptions TO webhooks_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON events TO webhooks_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON deliveries TO webhooks_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON attempts TO webhooks_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON audit_log TO webhooks_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
