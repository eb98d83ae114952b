-- What the experiment report needs beyond conversions: orders and redemptions of each exposed subject, and what
-- the subject had spent before the first exposure (the covariate of CUPED's variance reduction). Conversion is a
-- purchase from now on; an offer redemption counts as a redemption (it counted as a conversion before).
ALTER TABLE exposures
    ADD COLUMN orders       integer NOT NULL DEFAULT 0,
    ADD COLUMN redeemed_at  timestamptz,
    ADD COLUMN pre_revenue  numeric(14, 2) NOT NULL DEFAULT 0;
UPDATE exposures SET orders = 1 WHERE revenue > 0;
-- The global holdout's rows (experiment id 00000000-…) are read by period of first exposure.
CREATE INDEX exposures_period ON exposures (tenant_id, experiment_id, first_exposed_at);

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

GRANT SELECT, INSERT, UPDATE, DELETE ON experiment_withdrawals, experiment_settings TO personalization_app;
ALTER TABLE experiment_withdrawals ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON experiment_withdrawals TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_only ON experiment_settings TO personalization_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
