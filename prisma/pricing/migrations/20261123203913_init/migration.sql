-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "pricing";

-- CreateEnum
CREATE TYPE "pricing"."PriceScope" AS ENUM ('GLOBAL', 'ORG', 'CHANNEL', 'ORG_CHANNEL');

-- CreateEnum
CREATE TYPE "pricing"."PriceBookStatus" AS ENUM ('ACTIVE', 'INACTIVE');

-- CreateEnum
CREATE TYPE "pricing"."PriceRuleKind" AS ENUM ('FIXED', 'PERCENT_OFF', 'AMOUNT_OFF');

-- CreateTable
CREATE TABLE "pricing"."price_book" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "scope" "pricing"."PriceScope" NOT NULL,
    "org_id" UUID,
    "channel_id" UUID,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "priority" INTEGER NOT NULL DEFAULT 0,
    "tax_included" BOOLEAN NOT NULL DEFAULT false,
    "status" "pricing"."PriceBookStatus" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pricing"."price_rule" (
    "id" UUID NOT NULL,
    "price_book_id" UUID NOT NULL,
    "sku_id" UUID NOT NULL,
    "kind" "pricing"."PriceRuleKind" NOT NULL,
    "amount" DECIMAL(19,4),
    "percent" DECIMAL(7,4),
    "min_quantity" INTEGER NOT NULL DEFAULT 1,
    "valid_from" TIMESTAMPTZ(3),
    "valid_to" TIMESTAMPTZ(3),
    "priority" INTEGER NOT NULL DEFAULT 0,
    "tax_category" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pricing"."audit_log" (
    "id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT,
    "org_id" UUID,
    "request_id" TEXT,
    "action" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT,
    "result" TEXT NOT NULL DEFAULT 'OK',
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pricing"."idempotency_record" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("org_id","key")
);

-- CreateIndex
CREATE INDEX "price_book_scope_org_id_channel_id_status_currency_idx" ON "pricing"."price_book"("scope", "org_id", "channel_id", "status", "currency");

-- CreateIndex
CREATE INDEX "price_book_org_id_id_idx" ON "pricing"."price_book"("org_id", "id");

-- CreateIndex
CREATE INDEX "price_book_channel_id_id_idx" ON "pricing"."price_book"("channel_id", "id");

-- CreateIndex
CREATE INDEX "price_rule_sku_id_price_book_id_idx" ON "pricing"."price_rule"("sku_id", "price_book_id");

-- CreateIndex
CREATE INDEX "price_rule_price_book_id_id_idx" ON "pricing"."price_rule"("price_book_id", "id");

-- CreateIndex
CREATE INDEX "price_rule_price_book_id_sku_id_min_quantity_idx" ON "pricing"."price_rule"("price_book_id", "sku_id", "min_quantity");

-- CreateIndex
CREATE INDEX "audit_log_object_type_object_id_idx" ON "pricing"."audit_log"("object_type", "object_id");

-- AddForeignKey
ALTER TABLE "pricing"."price_rule" ADD CONSTRAINT "price_rule_price_book_id_fkey" FOREIGN KEY ("price_book_id") REFERENCES "pricing"."price_book"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
