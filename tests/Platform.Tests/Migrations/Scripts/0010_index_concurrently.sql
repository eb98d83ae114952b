-- migrate: no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tenant ON notes (tenant_id);
