-- People of a cooperative (Verbundgruppe): a role in the cooperative, acted out in each of its member shops (the
-- gateway holds which shops those are). Invited like a shop's staff; the invitation row then names no shop.

CREATE TABLE identity.cooperative_memberships (
    user_id uuid NOT NULL,
    cooperative_id character varying(63) NOT NULL,
    role character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(200) NOT NULL,
    CONSTRAINT pk_cooperative_memberships PRIMARY KEY (user_id, cooperative_id),
    CONSTRAINT ck_cooperative_memberships_role CHECK (role IN ('owner', 'marketing', 'catalog', 'support', 'read-only')),
    CONSTRAINT fk_cooperative_memberships_staff_users_user_id FOREIGN KEY (user_id) REFERENCES identity.staff_users (id) ON DELETE CASCADE
);

CREATE INDEX ix_cooperative_memberships_cooperative_id_user_id ON identity.cooperative_memberships (cooperative_id, user_id);
