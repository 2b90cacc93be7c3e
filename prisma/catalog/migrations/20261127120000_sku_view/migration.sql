-- Read-only views catalog publishes to other slices, versioned like org-graph's (a breaking
-- change is a new _v2 view beside the old one). security_invoker: the reader's own grants and
-- row policies apply. Pricing checks a price rule's SKU against it in the write's transaction.
CREATE VIEW "catalog"."sku_v1" WITH (security_invoker = true) AS
  SELECT "id", "product_id", "code", "status"::text AS "status"
  FROM "catalog"."sku";
