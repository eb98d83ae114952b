-- The cooperative (Verbundgruppe) level: a customer may consent to their shop sharing their contact with the
-- shop's cooperative (purpose "cooperative", with its history like the other purposes). Only while that consent
-- stands is there a row here: written by the member shop when the customer consents, changed with the profile,
-- deleted when the consent is withdrawn and with the profile (erasure). The cooperative reads its members' rows as
-- its central tenant ("coop.{id}"); a member writes and sees only its own; no other cooperative sees any.
ALTER TABLE consent_history DROP CONSTRAINT consent_history_purpose_check;
ALTER TABLE consent_history ADD CONSTRAINT consent_history_purpose_check
    CHECK (purpose IN ('personalization', 'marketing_email', 'analytics', 'cooperative'));

CREATE TABLE cooperative_contacts (
    tenant_id       text NOT NULL,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    cooperative_id  text NOT NULL,
    email           text,
    first_name      text,
    last_name       text,
    company_name    text,
    locale          text,
    policy_version  text NOT NULL,
    consented_at    timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, profile_id)
);
CREATE INDEX cooperative_contacts_listing ON cooperative_contacts (cooperative_id, tenant_id, profile_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON cooperative_contacts TO profiles_app;
ALTER TABLE cooperative_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_or_its_cooperative ON cooperative_contacts TO profiles_app
    USING (tenant_id = current_setting('app.tenant_id', true) OR 'coop.' || cooperative_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
