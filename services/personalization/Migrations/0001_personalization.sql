-- Personalization: read models of the catalog and of profiles (kept by events), behaviour, the per-subject model
-- (affinities, RFM, recent items), anonymous popularity, co-occurrence, merchant-defined segments, offers and
-- experiments, and what decisions showed. A "subject" is 'p:{profile id}' for a known customer or 'v:{visitor id}'
-- for an anonymous visitor; only subjects with personalization consent ever get a row that names them.

-- The role personalization_app (NOLOGIN, granted the schema's tables) is made by the migration runner before any script runs.
-- This script made it itself until the runner did; a database it ran in then has the role already.
-- earlier checksum: 395de33f6e862bb06fb52a0f5051f9b41e557e526c7ae44b22a35e6f01aad07f

-- The catalog as personalization needs it. category_ids includes every ancestor, so "garden" matches a lawnmower
-- filed under garden/lawn. trend is log2 of the exponentially decayed interaction count, scaled to a fixed epoch
-- (see Popularity.cs): ordering by it is ordering by current popularity, without rewriting rows as time passes.
-- A deleted product stays as a tombstone (status 'deleted') so that "what changed since" finds it.
CREATE TABLE products (
    tenant_id     text NOT NULL,
    product_id    uuid NOT NULL,
    sku           text NOT NULL,
    slug          text NOT NULL,
    status        text NOT NULL,
    brand         text,
    name          jsonb NOT NULL,
    category_ids  uuid[] NOT NULL,
    attributes    text[] NOT NULL,
    price         numeric(12, 2) NOT NULL,
    currency      text NOT NULL,
    available     boolean NOT NULL,
    image_url     text,
    version       integer NOT NULL,
    trend         double precision,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, product_id)
) WITH (fillfactor = 80);
CREATE INDEX products_sku ON products (tenant_id, sku);
-- What stopped being showable since a decision's in-memory shelves were read (ProductShelves.cs); partial, so a
-- catalog import of thousands of (showable) products does not make every decision scan them.
CREATE INDEX products_hidden ON products (tenant_id, updated_at) WHERE NOT (available AND status = 'published');
CREATE INDEX products_categories ON products USING gin (category_ids);
-- No index includes trend: every batch of events updates it, and so each such update stays a cheap heap-only
-- (HOT) update in the page's free space (fillfactor 80) instead of touching every index, the GIN one above all.
-- Decisions do not sort by it in SQL; they use in-memory shelves (ProductShelves.cs).

-- Popularity increments, appended by every event batch and folded into products.trend about once a second by
-- one instance (PopularityFolder.cs): appending never waits, whereas updating the bestsellers' rows from every
-- batch made concurrent batches queue for the same row locks (measured: two thirds of ingest time).
CREATE TABLE popularity_deltas (
    tenant_id   text NOT NULL,
    product_id  uuid NOT NULL,
    v           double precision NOT NULL
);

-- Profile facts and the personalization consent, from the profiles service's events.
CREATE TABLE profiles (
    tenant_id       text NOT NULL,
    profile_id      uuid NOT NULL,
    kind            text,
    customer_group  text,
    locale          text,
    traits          jsonb NOT NULL DEFAULT '{}',
    consent         boolean NOT NULL DEFAULT false,
    consent_at      timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, profile_id)
);

-- Visitor ids: the profile they were linked to, and for an anonymous visitor the storefront's consent-banner answer.
CREATE TABLE visitors (
    tenant_id   text NOT NULL,
    visitor_id  text NOT NULL,
    profile_id  uuid,
    consent     boolean,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, visitor_id)
);
CREATE INDEX visitors_profile ON visitors (tenant_id, profile_id) WHERE profile_id IS NOT NULL;

-- Every accepted event, for idempotency (the id) and anonymous statistics. Who did it (subject, visitor, profile,
-- search text) is only filled in with consent; without it the row says what happened to which product, not by whom.
CREATE TABLE events (
    tenant_id    text NOT NULL,
    event_id     uuid NOT NULL,
    type         text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    channel      text NOT NULL,
    placement    text,
    subject_key  text,
    visitor_id   text,
    profile_id   uuid,
    product_id   uuid,
    category_id  uuid,
    quantity     integer,
    price        numeric(12, 2),
    query        text,
    offer_id     uuid,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX events_subject ON events (tenant_id, subject_key, occurred_at) WHERE subject_key IS NOT NULL;

-- The model of one consenting subject: affinities with time decay, RFM, recent items (SubjectModel.cs).
CREATE TABLE subject_models (
    tenant_id    text NOT NULL,
    subject_key  text NOT NULL,
    profile_id   uuid,
    model        jsonb NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, subject_key)
);
-- Rewritten by every batch that touches the subject: lz4 compresses a large model several times faster than the default pglz.
ALTER TABLE subject_models ALTER COLUMN model SET COMPRESSION lz4;

-- Item-to-item co-occurrence: kind 'v' viewed together, 'b' bought together. Anonymous counts, one row per
-- unordered pair (product_a < product_b), found from either side; weight is in no index, so a count goes up in place.
CREATE TABLE co_occurrence (
    tenant_id  text NOT NULL,
    kind       char(1) NOT NULL,
    product_a  uuid NOT NULL,
    product_b  uuid NOT NULL,
    weight     double precision NOT NULL,
    PRIMARY KEY (tenant_id, kind, product_a, product_b),
    CHECK (product_a < product_b)
) WITH (fillfactor = 80);
CREATE INDEX co_occurrence_b ON co_occurrence (tenant_id, kind, product_b);

-- What merchants define: segments, offers and experiments. The same shape for all three (DefinitionStore.cs): the
-- parts the service queries by are columns, the rest is the validated definition as the API accepted it.
CREATE TABLE segments (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    name        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('active', 'archived')),
    definition  jsonb NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE offers (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    name        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    definition  jsonb NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE experiments (
    id          uuid PRIMARY KEY,
    tenant_id   text NOT NULL,
    name        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('draft', 'running', 'stopped')),
    definition  jsonb NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
-- At most one running experiment per placement: two would fight over the same visitors.
CREATE UNIQUE INDEX experiments_running_placement ON experiments (tenant_id, (definition->>'placement')) WHERE status = 'running';

-- What a decision showed to a consenting subject: the frequency cap counts these.
CREATE TABLE impressions (
    tenant_id    text NOT NULL,
    subject_key  text NOT NULL,
    offer_id     uuid NOT NULL,
    decision_id  uuid NOT NULL,
    shown_at     timestamptz NOT NULL
);
CREATE INDEX impressions_subject ON impressions (tenant_id, subject_key, shown_at);

-- Without consent nothing is kept per visitor; these anonymous daily counters still tell the merchant how an offer does.
CREATE TABLE offer_stats (
    tenant_id    text NOT NULL,
    offer_id     uuid NOT NULL,
    day          date NOT NULL,
    impressions  bigint NOT NULL DEFAULT 0,
    clicks       bigint NOT NULL DEFAULT 0,
    redemptions  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, offer_id, day)
);

-- One row per subject and experiment: the variant and the first exposure; clicks and conversions inside the
-- experiment's attribution window after it.
CREATE TABLE exposures (
    tenant_id         text NOT NULL,
    experiment_id     uuid NOT NULL,
    subject_key       text NOT NULL,
    variant           text NOT NULL,
    first_exposed_at  timestamptz NOT NULL,
    impressions       integer NOT NULL DEFAULT 1,
    clicked_at        timestamptz,
    converted_at      timestamptz,
    revenue           numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, experiment_id, subject_key)
);
CREATE INDEX exposures_subject ON exposures (tenant_id, subject_key);

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA personalization TO personalization_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA personalization TO personalization_app;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['products', 'popularity_deltas', 'profiles', 'visitors', 'events', 'subject_models', 'co_occurrence', 'segments',
                             'offers', 'experiments', 'impressions', 'offer_stats', 'exposures'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_only ON %I TO personalization_app USING (tenant_id = current_setting(''app.tenant_id'', true)) '
                       'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
    END LOOP;
END $$;
