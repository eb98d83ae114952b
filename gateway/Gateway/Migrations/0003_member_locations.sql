-- Where a member shop is and where its product pages are: for joint search and "available at member shops near
-- you" (the shopper's distance to each shop). Coordinates come from the postcode's region unless given exactly.
ALTER TABLE cooperative_members ADD COLUMN street text;
ALTER TABLE cooperative_members ADD COLUMN postcode text CHECK (postcode ~ '^[0-9]{5}$');
ALTER TABLE cooperative_members ADD COLUMN city text;
ALTER TABLE cooperative_members ADD COLUMN latitude double precision;
ALTER TABLE cooperative_members ADD COLUMN longitude double precision;
ALTER TABLE cooperative_members ADD COLUMN product_url text;
