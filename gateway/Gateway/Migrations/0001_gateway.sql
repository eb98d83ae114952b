-- The gateway's own data: the platform's tenants (member shops) and their API keys. Keys are stored only as a
-- SHA-256 hash of the whole key (they are 256-bit random secrets, so a slow password hash adds nothing); the key
-- itself is shown once, when it is created. No row-level security here: a key is looked up by its hash before
-- anyone knows the tenant, and every admin query filters by the caller's tenant in code.

CREATE TABLE tenants (
    id                text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    default_language  text NOT NULL DEFAULT 'de' CHECK (default_language IN ('de', 'en')),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id               uuid PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    kind             text NOT NULL CHECK (kind IN ('storefront', 'partner', 'admin')),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The first characters of the key, so a merchant can tell keys apart in a listing without the secret.
    prefix           text NOT NULL,
    secret_hash      bytea NOT NULL UNIQUE,
    scopes           text[] NOT NULL,
    allowed_origins  text[] NOT NULL DEFAULT '{}',
    rate_per_second  integer NOT NULL CHECK (rate_per_second BETWEEN 1 AND 100000),
    burst            integer NOT NULL CHECK (burst BETWEEN 1 AND 100000),
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz,
    revoked_at       timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at, id);
