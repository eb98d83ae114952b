-- Catalog: categories, products with variants, customer-group price lists. Every row carries its tenant; the
-- service filters by it in every query, and row-level security is the second wall: the service works as the
-- role catalog_app (SET LOCAL ROLE per transaction), which only ever sees rows of app.tenant_id.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The role catalog_app (NOLOGIN, granted the schema's tables) is made by the migration runner before any script runs.
-- This script made it itself until the runner did; a database it ran in then has the role already.
-- earlier checksum: d3d19f93e929613dd36fea407c25ab2fd3462b7507cab287243cf1e8e11f4f23

CREATE TABLE categories (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    parent_id   uuid REFERENCES categories (id) ON DELETE RESTRICT,
    slug        text NOT NULL,
    name        jsonb NOT NULL,
    position    integer NOT NULL DEFAULT 0,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, slug)
);
CREATE INDEX categories_parent ON categories (tenant_id, parent_id);

CREATE TABLE products (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    sku             text NOT NULL,
    slug            text NOT NULL,
    status          text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    brand           text,
    name            jsonb NOT NULL,
    description     jsonb NOT NULL DEFAULT '{}',
    attributes      jsonb NOT NULL DEFAULT '{}',
    images          jsonb NOT NULL DEFAULT '[]',
    category_ids    uuid[] NOT NULL DEFAULT '{}',
    -- category_ids plus every ancestor, so "in category X including descendants" is one indexed overlap.
    category_path   uuid[] NOT NULL DEFAULT '{}',
    min_price_gross numeric(12, 2) NOT NULL DEFAULT 0,
    available       boolean NOT NULL DEFAULT false,
    -- Attribute values as text, for search; German-folded names and brand, for typo-tolerant trigram matching.
    attribute_text  text NOT NULL DEFAULT '',
    search_folded   text NOT NULL DEFAULT '',
    name_sort       text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    search_vector   tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german', coalesce(name ->> 'de', '')), 'A') ||
        setweight(to_tsvector('english', coalesce(name ->> 'en', '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(brand, '')), 'B') ||
        setweight(to_tsvector('german', attribute_text), 'C') ||
        setweight(to_tsvector('german', coalesce(description ->> 'de', '')), 'D') ||
        setweight(to_tsvector('english', coalesce(description ->> 'en', '')), 'D')
    ) STORED,
    UNIQUE (tenant_id, sku),
    UNIQUE (tenant_id, slug)
);
CREATE INDEX products_listing ON products (tenant_id, status, id);
CREATE INDEX products_price ON products (tenant_id, status, min_price_gross, id);
CREATE INDEX products_name ON products (tenant_id, status, name_sort, id);
CREATE INDEX products_brand ON products (tenant_id, brand);
CREATE INDEX products_category_path ON products USING gin (category_path);
CREATE INDEX products_attributes ON products USING gin (attributes jsonb_path_ops);
CREATE INDEX products_search ON products USING gin (search_vector);
CREATE INDEX products_search_folded ON products USING gin (search_folded gin_trgm_ops);

CREATE TABLE variants (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    product_id      uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku             text NOT NULL,
    position        integer NOT NULL,
    options         jsonb NOT NULL DEFAULT '{}',
    price_net       numeric(12, 4) NOT NULL CHECK (price_net >= 0),
    tax_rate        numeric(5, 4) NOT NULL CHECK (tax_rate >= 0 AND tax_rate < 1),
    compare_at_net  numeric(12, 4) CHECK (compare_at_net >= 0),
    stock_quantity  integer NOT NULL DEFAULT 0,
    backorderable   boolean NOT NULL DEFAULT false,
    UNIQUE (tenant_id, sku)
);
CREATE INDEX variants_product ON variants (product_id, position);

CREATE TABLE price_lists (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL,
    customer_group  text NOT NULL,
    name            text NOT NULL,
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, customer_group)
);

CREATE TABLE price_list_entries (
    price_list_id   uuid NOT NULL REFERENCES price_lists (id) ON DELETE CASCADE,
    tenant_id       text NOT NULL,
    variant_sku     text NOT NULL,
    price_net       numeric(12, 4) NOT NULL CHECK (price_net >= 0),
    PRIMARY KEY (price_list_id, variant_sku)
);
CREATE INDEX price_list_entries_sku ON price_list_entries (tenant_id, variant_sku);

-- Also whatever already exists here (the outbox, when its migrations ran first).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA catalog TO catalog_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA catalog TO catalog_app;

ALTER TABLE categories ENABLE ROW LEVEL SECURITY;
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE variants ENABLE ROW LEVEL SECURITY;
ALTER TABLE price_lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE price_list_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON categories TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON products TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON variants TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON price_lists TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON price_list_entries TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
