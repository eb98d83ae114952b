-- People who operate the platform: they manage tenants and cooperatives as the platform key does, in no shop.

CREATE TABLE identity.platform_operators (
    user_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(200) NOT NULL,
    CONSTRAINT pk_platform_operators PRIMARY KEY (user_id),
    CONSTRAINT fk_platform_operators_staff_users_user_id FOREIGN KEY (user_id) REFERENCES identity.staff_users (id) ON DELETE CASCADE
);
