-- What the in-process search index (Search/SearchIndex.cs) follows the catalog by. Every product row carries the
-- transaction that last wrote it, and a deleted product leaves its id behind for an hour. An index reads what
-- changed since the oldest transaction still running when it last looked (pg_snapshot_xmin), so a write that
-- commits late is read on a later look, never skipped.
ALTER TABLE products ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX products_changes ON products (tenant_id, change_xid);

CREATE FUNCTION products_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_xid := pg_current_xact_id();
    RETURN NEW;
END $$;
CREATE TRIGGER products_touch BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION products_touch();

CREATE TABLE product_removals (
    tenant_id   text NOT NULL,
    product_id  uuid NOT NULL,
    change_xid  xid8 NOT NULL DEFAULT pg_current_xact_id(),
    removed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_removals_changes ON product_removals (tenant_id, change_xid);
ALTER TABLE product_removals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_only ON product_removals TO catalog_app USING (tenant_id = current_setting('app.tenant_id', true)) WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

CREATE FUNCTION products_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_removals (tenant_id, product_id) VALUES (OLD.tenant_id, OLD.id);
    RETURN OLD;
END $$;
CREATE TRIGGER products_removed AFTER DELETE ON products FOR EACH ROW EXECUTE FUNCTION products_removed();
