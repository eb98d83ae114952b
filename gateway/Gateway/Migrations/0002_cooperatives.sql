-- Cooperatives (Verbundgruppen): a cooperative has member shops, and each member stays a tenant of its own, with
-- its own data, keys, staff and customers. A shop belongs to one cooperative at most (it is a member of a buying
-- group, not of several). What the cooperative may do with its members' data is decided by the services; here
-- is only who belongs to whom.
CREATE TABLE cooperatives (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cooperative_members (
    tenant_id       text PRIMARY KEY REFERENCES tenants (id),
    cooperative_id  text NOT NULL REFERENCES cooperatives (id),
    joined_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cooperative_members_of ON cooperative_members (cooperative_id, tenant_id);
