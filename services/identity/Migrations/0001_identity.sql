-- The identity service's tables: OpenIddict's applications (clients; a partner's carries its tenant), authorizations,
-- scopes and tokens, and the shops' audit log. Written from the EF Core model (MigrationTests holds the two
-- together); a change to the model is a new script, never an edit of this one. No row-level security: OpenIddict looks a client up by its id before
-- anyone knows the tenant, and every owner's query filters by the caller's tenant in code (as the gateway's keys do).

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = 'identity') THEN
        CREATE SCHEMA identity;
    END IF;
END $EF$;


CREATE TABLE identity.applications (
    id uuid NOT NULL,
    tenant_id character varying(63),
    created_at timestamp with time zone NOT NULL,
    created_by character varying(200) NOT NULL,
    secret_rotated_at timestamp with time zone NOT NULL,
    rate_per_second integer NOT NULL,
    burst integer NOT NULL,
    application_type character varying(50),
    client_id character varying(100),
    client_secret text,
    client_type character varying(50),
    concurrency_token character varying(50),
    consent_type character varying(50),
    display_name text,
    display_names text,
    json_web_key_set text,
    permissions text,
    post_logout_redirect_uris text,
    properties text,
    redirect_uris text,
    requirements text,
    settings text,
    CONSTRAINT pk_applications PRIMARY KEY (id),
    CONSTRAINT ck_applications_rate_plan CHECK (rate_per_second BETWEEN 1 AND 50000 AND burst BETWEEN rate_per_second AND 100000 OR tenant_id IS NULL)
);


CREATE TABLE identity.audit_log (
    id uuid NOT NULL,
    tenant_id character varying(63) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(200) NOT NULL,
    action character varying(64) NOT NULL,
    client_id character varying(100),
    address character varying(64),
    detail character varying(500),
    CONSTRAINT pk_audit_log PRIMARY KEY (id)
);


CREATE TABLE identity.scopes (
    id uuid NOT NULL,
    concurrency_token character varying(50),
    description text,
    descriptions text,
    display_name text,
    display_names text,
    name character varying(200),
    properties text,
    resources text,
    CONSTRAINT pk_scopes PRIMARY KEY (id)
);


CREATE TABLE identity.authorizations (
    id uuid NOT NULL,
    application_id uuid,
    concurrency_token character varying(50),
    creation_date timestamp with time zone,
    properties text,
    scopes text,
    status character varying(50),
    subject character varying(400),
    type character varying(50),
    CONSTRAINT pk_authorizations PRIMARY KEY (id),
    CONSTRAINT fk_authorizations_applications_application_id FOREIGN KEY (application_id) REFERENCES identity.applications (id)
);


CREATE TABLE identity.tokens (
    id uuid NOT NULL,
    application_id uuid,
    authorization_id uuid,
    concurrency_token character varying(50),
    creation_date timestamp with time zone,
    expiration_date timestamp with time zone,
    payload text,
    properties text,
    redemption_date timestamp with time zone,
    reference_id character varying(100),
    status character varying(50),
    subject character varying(400),
    type character varying(150),
    CONSTRAINT pk_tokens PRIMARY KEY (id),
    CONSTRAINT fk_tokens_applications_application_id FOREIGN KEY (application_id) REFERENCES identity.applications (id),
    CONSTRAINT fk_tokens_authorizations_authorization_id FOREIGN KEY (authorization_id) REFERENCES identity.authorizations (id)
);


CREATE UNIQUE INDEX ix_applications_client_id ON identity.applications (client_id);


CREATE INDEX ix_applications_tenant_id_id ON identity.applications (tenant_id, id);


CREATE INDEX ix_audit_log_tenant_id_id ON identity.audit_log (tenant_id, id);


CREATE INDEX ix_authorizations_application_id_status_subject_type ON identity.authorizations (application_id, status, subject, type);


CREATE UNIQUE INDEX ix_scopes_name ON identity.scopes (name);


CREATE INDEX ix_tokens_application_id_status_subject_type ON identity.tokens (application_id, status, subject, type);


CREATE INDEX ix_tokens_authorization_id ON identity.tokens (authorization_id);


CREATE UNIQUE INDEX ix_tokens_reference_id ON identity.tokens (reference_id);


