-- A cooperative's own storefront key, for its joint storefront: the key belongs to the cooperative (not to a member
-- shop) and acts in its central level (catalog: the central assortment; the joint search over its members). Only
-- storefront keys: the cooperative's staff sign in as people.
ALTER TABLE api_keys
    ALTER COLUMN tenant_id DROP NOT NULL,
    ADD COLUMN cooperative_id text REFERENCES cooperatives (id),
    ADD CONSTRAINT api_keys_one_owner CHECK ((tenant_id IS NULL) <> (cooperative_id IS NULL)),
    ADD CONSTRAINT api_keys_cooperative_storefront CHECK (cooperative_id IS NULL OR kind = 'storefront');
CREATE INDEX api_keys_cooperative ON api_keys (cooperative_id, id) WHERE cooperative_id IS NOT NULL;
