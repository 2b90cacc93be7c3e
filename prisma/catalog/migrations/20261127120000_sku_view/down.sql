-- Rollback of 20261127120000_sku_view.
DROP VIEW IF EXISTS "catalog"."sku_v1";
