-- A shop's rules for how its staff sign in: whether a second factor is required (owner's switch).

CREATE TABLE identity.shop_security (
    tenant_id character varying(63) NOT NULL,
    require_two_factor boolean NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by character varying(200) NOT NULL,
    CONSTRAINT pk_shop_security PRIMARY KEY (tenant_id)
);
