-- A cooperative's central assortment (Zentralsortiment): the cooperative keeps its products and categories once, as
-- the tenant coop.{cooperative}; a member shop subscribes to central categories or products and gets its own copy of
-- each, a normal product of the shop (search, GraphQL, personalization, events) that points back at the central one
-- (central_id). The copy is rebuilt from the central product and the shop's local overrides whenever either changes.

CREATE TABLE central_subscriptions (
    tenant_id       text NOT NULL,
    central_tenant  text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('category', 'product')),
    central_id      uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, central_id)
);
-- A central change looks up the members that take the product (by its id or any category on its path).
CREATE INDEX central_subscriptions_central ON central_subscriptions (central_tenant, central_id);

ALTER TABLE products ADD COLUMN central_id uuid;
CREATE UNIQUE INDEX products_central ON products (tenant_id, central_id) WHERE central_id IS NOT NULL;
CREATE INDEX products_central_copies ON products (central_id) WHERE central_id IS NOT NULL;

-- A member's copy of a central category; central_created marks one the subscription made (removed with it), as
-- opposed to a category of the shop's own with the same slug, which the central one was filed into.
ALTER TABLE categories ADD COLUMN central_id uuid;
ALTER TABLE categories ADD COLUMN central_created boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX categories_central ON categories (tenant_id, central_id) WHERE central_id IS NOT NULL;

-- What a member changed on its copy of a central product; kept apart so a central update never loses it.
CREATE TABLE central_overrides (
    tenant_id   text NOT NULL,
    central_id  uuid NOT NULL,
    overrides   jsonb NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, central_id)
);

-- Central products a member could not take because the shop has a product of its own with the SKU or slug.
CREATE TABLE central_conflicts (
    tenant_id   text NOT NULL,
    central_id  uuid NOT NULL,
    sku         text NOT NULL,
    reason      text NOT NULL,
    detected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, central_id)
);

ALTER TABLE central_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE central_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE central_conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON central_subscriptions TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON central_overrides TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON central_conflicts TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
