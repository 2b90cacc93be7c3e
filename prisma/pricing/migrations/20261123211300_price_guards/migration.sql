-- The price book and rule guards of the API, enforced by the database too, so no other writer
-- (a script, a future service) can store a book or rule the resolver would misread.
-- Prisma's schema language cannot express CHECK constraints, so they live only here.
ALTER TABLE "pricing"."price_book"
  ADD CONSTRAINT "price_book_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "price_book_scope_targets" CHECK (
    ("scope" IN ('ORG', 'ORG_CHANNEL')) = ("org_id" IS NOT NULL)
    AND ("scope" IN ('CHANNEL', 'ORG_CHANNEL')) = ("channel_id" IS NOT NULL)
  ),
  ADD CONSTRAINT "price_book_window" CHECK ("valid_to" IS NULL OR "valid_from" < "valid_to");

ALTER TABLE "pricing"."price_rule"
  ADD CONSTRAINT "price_rule_kind_values" CHECK (
    CASE "kind"
      WHEN 'PERCENT_OFF' THEN "percent" IS NOT NULL AND "amount" IS NULL
      ELSE "amount" IS NOT NULL AND "percent" IS NULL
    END
  ),
  ADD CONSTRAINT "price_rule_amount_not_negative" CHECK ("amount" IS NULL OR "amount" >= 0),
  ADD CONSTRAINT "price_rule_percent_range" CHECK ("percent" IS NULL OR "percent" BETWEEN 0 AND 100),
  ADD CONSTRAINT "price_rule_min_quantity" CHECK ("min_quantity" >= 1),
  ADD CONSTRAINT "price_rule_window" CHECK (
    "valid_from" IS NULL OR "valid_to" IS NULL OR "valid_from" < "valid_to"
  );
