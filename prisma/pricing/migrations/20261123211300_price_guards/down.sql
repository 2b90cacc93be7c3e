-- Rollback of 20261123211300_price_guards: drops the CHECK constraints.
ALTER TABLE "pricing"."price_rule"
  DROP CONSTRAINT IF EXISTS "price_rule_window",
  DROP CONSTRAINT IF EXISTS "price_rule_min_quantity",
  DROP CONSTRAINT IF EXISTS "price_rule_percent_range",
  DROP CONSTRAINT IF EXISTS "price_rule_amount_not_negative",
  DROP CONSTRAINT IF EXISTS "price_rule_kind_values";

ALTER TABLE "pricing"."price_book"
  DROP CONSTRAINT IF EXISTS "price_book_window",
  DROP CONSTRAINT IF EXISTS "price_book_scope_targets",
  DROP CONSTRAINT IF EXISTS "price_book_currency_iso";
