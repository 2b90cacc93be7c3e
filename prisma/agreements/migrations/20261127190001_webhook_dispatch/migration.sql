-- The webhook dispatcher (docs/webhooks.md): which outbox events were fanned out, delivery
-- leases (a crashed dispatcher's lease lapses and another re-sends), every attempt recorded,
-- secret rotation and automatic disabling; indexes for the retention purge.
-- AlterTable
ALTER TABLE "agreements"."outbox_event" ADD COLUMN     "dispatched_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "agreements"."webhook_delivery" ADD COLUMN     "lease_id" UUID,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "agreements"."webhook_subscription" ADD COLUMN     "consecutive_dead" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "disabled_reason" TEXT,
ADD COLUMN     "previous_secret" TEXT,
ADD COLUMN     "previous_secret_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "agreements"."webhook_attempt" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "response_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "response_body" TEXT,
    "error" TEXT,

    CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_attempt_delivery_id_number_idx" ON "agreements"."webhook_attempt"("delivery_id", "number");

-- CreateIndex
CREATE INDEX "webhook_attempt_started_at_idx" ON "agreements"."webhook_attempt"("started_at");

-- CreateIndex
CREATE INDEX "idempotency_record_created_at_idx" ON "agreements"."idempotency_record"("created_at");

-- CreateIndex
CREATE INDEX "outbox_event_dispatched_at_id_idx" ON "agreements"."outbox_event"("dispatched_at", "id");

-- AddForeignKey
ALTER TABLE "agreements"."webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "agreements"."webhook_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- attempts: those of the deliveries the caller may see (webhook_delivery's policy applies)
ALTER TABLE "agreements"."webhook_attempt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements"."webhook_attempt" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tenant_rows" ON "agreements"."webhook_attempt"
  USING (EXISTS (SELECT 1 FROM "agreements"."webhook_delivery" d WHERE d."id" = "delivery_id")) WITH CHECK (EXISTS (SELECT 1 FROM "agreements"."webhook_delivery" d WHERE d."id" = "delivery_id"));
CREATE POLICY "admin_rows" ON "agreements"."webhook_attempt"
  USING (current_setting('app.is_admin', true) = 'true') WITH CHECK (current_setting('app.is_admin', true) = 'true');
