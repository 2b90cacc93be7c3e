-- A product's manufacturer, published to other slices like sku_v1 (security_invoker: the
-- reader's grants and row policies apply). The service-policy engine reads a ticket's SKU →
-- product → manufacturer through sku_v1 and product_v1 in one statement.
CREATE VIEW "catalog"."product_v1" WITH (security_invoker = true) AS
  SELECT "id", "manufacturer_id", "status"::text AS "status"
  FROM "catalog"."product";
