-- Profiles: customers of a tenant (persons and companies), their consents with the full history, and the
-- anonymous visitor ids linked to them. Tenant filter in every query, row-level security as the second wall.

-- The role profiles_app (NOLOGIN, granted the schema's tables) is made by the migration runner before any script runs.
-- This script made it itself until the runner did; a database it ran in then has the role already.
-- earlier checksum: eee44f2d8a2d4d65ef1c5de7e54576813ffe7fbcd72d338651876b7a9e0563df

CREATE TABLE profiles (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('person', 'company')),
    external_id     text,
    email           text,
    first_name      text,
    last_name       text,
    company_name    text,
    vat_id          text,
    customer_group  text,
    locale          text,
    addresses       jsonb NOT NULL DEFAULT '[]',
    traits          jsonb NOT NULL DEFAULT '{}',
    preferences     jsonb NOT NULL DEFAULT '{}',
    contacts        jsonb NOT NULL DEFAULT '[]',
    search_name     text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, external_id),
    UNIQUE (tenant_id, email)
);
CREATE INDEX profiles_listing ON profiles (tenant_id, id);
CREATE INDEX profiles_email_prefix ON profiles (tenant_id, email text_pattern_ops);
CREATE INDEX profiles_group ON profiles (tenant_id, customer_group, id);
CREATE INDEX profiles_name ON profiles (tenant_id, search_name text_pattern_ops);

-- Append-only: a consent is never updated, only followed by a newer record. The current state is the newest.
CREATE TABLE consent_history (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text NOT NULL,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    purpose         text NOT NULL CHECK (purpose IN ('personalization', 'marketing_email', 'analytics')),
    granted         boolean NOT NULL,
    source          text NOT NULL CHECK (source IN ('storefront', 'app', 'partner', 'admin')),
    policy_version  text NOT NULL,
    recorded_by     text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX consent_history_profile ON consent_history (profile_id, purpose, seq DESC);

CREATE TABLE visitors (
    tenant_id   text NOT NULL,
    visitor_id  text NOT NULL,
    profile_id  uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, visitor_id)
);
CREATE INDEX visitors_profile ON visitors (profile_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA profiles TO profiles_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA profiles TO profiles_app;
-- The history is append-only for the application: it can add to it, never rewrite it.
REVOKE UPDATE ON consent_history FROM profiles_app;

ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE visitors ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON profiles TO profiles_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON consent_history TO profiles_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON visitors TO profiles_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
