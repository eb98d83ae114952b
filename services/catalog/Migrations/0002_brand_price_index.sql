-- Listing by brand in price order (a brand page, a "Gardena from cheapest" filter) reads the index in order
-- instead of sorting every product of the brand.
CREATE INDEX products_brand_price ON products (tenant_id, brand, status, min_price_gross, id);
