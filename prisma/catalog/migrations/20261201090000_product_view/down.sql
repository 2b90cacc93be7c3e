-- Rollback of 20261201090000_product_view.
DROP VIEW IF EXISTS "catalog"."product_v1";
