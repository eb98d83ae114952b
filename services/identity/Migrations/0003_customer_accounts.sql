-- Shoppers' accounts at shops without a customer login of their own: one per shop and address (the user name is
-- tenant/e-mail), the same password hashing, lockout and security stamp as staff accounts.

CREATE TABLE identity.customer_accounts (
    id uuid NOT NULL,
    tenant_id character varying(63) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    user_name character varying(320),
    normalized_user_name character varying(320),
    email character varying(256),
    normalized_email character varying(256),
    email_confirmed boolean NOT NULL,
    password_hash text,
    security_stamp text,
    concurrency_stamp text,
    phone_number text,
    phone_number_confirmed boolean NOT NULL,
    two_factor_enabled boolean NOT NULL,
    lockout_end timestamp with time zone,
    lockout_enabled boolean NOT NULL,
    access_failed_count integer NOT NULL,
    CONSTRAINT pk_customer_accounts PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_customer_accounts_normalized_user_name ON identity.customer_accounts (normalized_user_name);

CREATE INDEX ix_customer_accounts_tenant_id_normalized_email ON identity.customer_accounts (tenant_id, normalized_email);
