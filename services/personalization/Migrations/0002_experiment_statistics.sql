-- What the experiment report needs beyond conversions: orders and redemptions of each exposed subject, and what
-- the subject had spent before the first exposure (the covariate of CUPED's variance reduction). Conversion is a
-- purchase from now on; an offer redemption counts as a redemption (it counted as a conversion before).
ALTER TABLE exposures
    ADD COLUMN orders       integer NOT NULL DEFAULT 0,
    ADD COLUMN redeemed_at  timestamptz,
    ADD COLUMN pre_revenue  double precision NOT NULL DEFAULT 0;
UPDATE exposures SET orders = 1 WHERE revenue > 0;
-- The global holdout's rows (experiment id 00000000-…) are read by period of first exposure.
CREATE INDEX exposures_period ON exposures (tenant_id, experiment_id, first_exposed_at);

-- The report's arm-days, computed once per day and kept: a day is sealed once no purchase can be credited to its
-- subjects any more (attribution window and a grace period for late events have passed; Attribution.cs credits
-- nothing to a sealed day); an open day is recomputed when its row is older than the report's freshness. The row
-- with variant '' marks a computed day (a day without subjects has no other row).
CREATE TABLE experiment_days (
    tenant_id          text NOT NULL,
    experiment_id      uuid NOT NULL,
    day                date NOT NULL,
    variant            text NOT NULL,
    sealed             boolean NOT NULL,
    computed_at        timestamptz NOT NULL,
    subjects           bigint NOT NULL,
    clicks             bigint NOT NULL,
    conversions        bigint NOT NULL,
    redemptions        bigint NOT NULL,
    orders             bigint NOT NULL,
    revenue            numeric NOT NULL,
    revenue_squares    double precision NOT NULL,
    pre_revenue        double precision NOT NULL,
    pre_squares        double precision NOT NULL,
    pre_times_revenue  double precision NOT NULL,
    PRIMARY KEY (tenant_id, experiment_id, day, variant)
);

-- A withdrawn consent deletes the subject's exposure; the guardrail still needs to know it happened. Only this
-- anonymous count per arm and day of first exposure stays: no subject, no time of day.
CREATE TABLE experiment_withdrawals (
    tenant_id      text NOT NULL,
    experiment_id  uuid NOT NULL,
    variant        text NOT NULL,
    exposed_on     date NOT NULL,
    withdrawals    integer NOT NULL,
    PRIMARY KEY (tenant_id, experiment_id, variant, exposed_on)
);

-- Per tenant: the guards before a verdict (minimum subjects, conversions and days), the global holdout's share, α.
CREATE TABLE experiment_settings (
    tenant_id   text PRIMARY KEY,
    settings    jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON experiment_days, experiment_withdrawals, experiment_settings TO personalization_app;
ALTER TABLE experiment_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_withdrawals ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON experiment_days TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON experiment_withdrawals TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON experiment_settings TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
