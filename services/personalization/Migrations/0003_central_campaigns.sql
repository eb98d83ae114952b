-- A cooperative's central campaigns: the cooperative's staff keep the offer once in its central tenant
-- (coop.{cooperative}); each member shop that opts in gets a copy in its own offers (and, when the campaign is
-- measured, an experiment of its own), so every decision and every number stays inside the member's own data.
CREATE TABLE central_campaigns (
    tenant_id   text NOT NULL,            -- the cooperative's central tenant
    id          uuid NOT NULL,
    name        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    offer       jsonb NOT NULL,           -- the offer as members get it (as the offers API stores one)
    limits      jsonb NOT NULL,           -- what members may change: incentive maximum, locked fields
    measure     boolean NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- A member's part: kept in the member's rows (its tenant id), naming the central tenant it came from. The
-- cooperative reads them across its members by central_tenant, outside row-level security, counts only.
CREATE TABLE central_participations (
    tenant_id       text NOT NULL,        -- the member shop
    central_tenant  text NOT NULL,
    campaign_id     uuid NOT NULL,
    offer_id        uuid NOT NULL,
    experiment_id   uuid,
    adjustments     jsonb NOT NULL DEFAULT '{}',
    note            text,
    joined_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, campaign_id)
);
CREATE INDEX central_participations_campaign ON central_participations (central_tenant, campaign_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON central_campaigns, central_participations TO personalization_app;
ALTER TABLE central_campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE central_participations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON central_campaigns TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON central_participations TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
