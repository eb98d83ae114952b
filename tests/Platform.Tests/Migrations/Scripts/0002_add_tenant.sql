ALTER TABLE notes ADD COLUMN tenant_id text NOT NULL DEFAULT 'none';
