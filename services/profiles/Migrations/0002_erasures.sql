-- Art. 17 erasures. The record names the erased profile only by a salted hash, so that after the erasure no row
-- here holds its id; the erasure id is what the status endpoint is asked with.
CREATE TABLE erasures (
    id                 uuid PRIMARY KEY,
    tenant_id          text NOT NULL,
    profile_hash       text NOT NULL,
    requested_at       timestamptz NOT NULL DEFAULT now(),
    expected_services  text[] NOT NULL,
    UNIQUE (tenant_id, profile_hash)
);

CREATE TABLE erasure_confirmations (
    erasure_id    uuid NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
    tenant_id     text NOT NULL,
    service       text NOT NULL,
    confirmed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (erasure_id, service)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON erasures, erasure_confirmations TO profiles_app;
ALTER TABLE erasures ENABLE ROW LEVEL SECURITY;
ALTER TABLE erasure_confirmations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON erasures TO profiles_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON erasure_confirmations TO profiles_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
