-- CreateEnum
CREATE TYPE "catalog"."OfferingStatus" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "catalog"."CatalogChangeKind" AS ENUM ('PUBLISH', 'UNLIST', 'ROLLBACK');

-- CreateTable
CREATE TABLE "catalog"."offering" (
    "id" UUID NOT NULL,
    "seller_org_id" UUID NOT NULL,
    "sku_id" UUID NOT NULL,
    "status" "catalog"."OfferingStatus" NOT NULL DEFAULT 'DRAFT',
    "draft_name" TEXT NOT NULL,
    "draft_description" TEXT,
    "draft_terms" JSONB NOT NULL DEFAULT '{}',
    "latest_version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offering_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."offering_version" (
    "id" UUID NOT NULL,
    "offering_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "terms" JSONB NOT NULL DEFAULT '{}',
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_by" TEXT,

    CONSTRAINT "offering_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."channel_catalog" (
    "channel_id" UUID NOT NULL,
    "latest_version" INTEGER NOT NULL DEFAULT 0,
    "latest_effective_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_catalog_pkey" PRIMARY KEY ("channel_id")
);

-- CreateTable
CREATE TABLE "catalog"."catalog_version" (
    "id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" "catalog"."CatalogChangeKind" NOT NULL,
    "rolled_back_to" INTEGER,
    "changed_offering_ids" UUID[],
    "entry_count" INTEGER NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "published_by" TEXT,
    "published_by_org_id" UUID,
    "request_id" TEXT,

    CONSTRAINT "catalog_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."catalog_entry" (
    "id" UUID NOT NULL,
    "catalog_version_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "offering_id" UUID NOT NULL,
    "offering_version_id" UUID NOT NULL,
    "offering_version" INTEGER NOT NULL,
    "sku_id" UUID NOT NULL,
    "seller_org_id" UUID NOT NULL,

    CONSTRAINT "catalog_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."catalog_version_effective" (
    "catalog_version_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "superseded" BOOLEAN NOT NULL DEFAULT false,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_version_effective_pkey" PRIMARY KEY ("catalog_version_id")
);

-- CreateIndex
CREATE INDEX "offering_sku_id_idx" ON "catalog"."offering"("sku_id");

-- CreateIndex
CREATE UNIQUE INDEX "offering_seller_org_id_sku_id_key" ON "catalog"."offering"("seller_org_id", "sku_id");

-- CreateIndex
CREATE UNIQUE INDEX "offering_version_offering_id_version_key" ON "catalog"."offering_version"("offering_id", "version");

-- CreateIndex
CREATE INDEX "catalog_version_channel_id_effective_at_idx" ON "catalog"."catalog_version"("channel_id", "effective_at");

-- CreateIndex
CREATE UNIQUE INDEX "catalog_version_channel_id_version_key" ON "catalog"."catalog_version"("channel_id", "version");

-- CreateIndex
CREATE INDEX "catalog_entry_catalog_version_id_id_idx" ON "catalog"."catalog_entry"("catalog_version_id", "id");

-- CreateIndex
CREATE INDEX "catalog_entry_channel_id_version_id_idx" ON "catalog"."catalog_entry"("channel_id", "version", "id");

-- CreateIndex
CREATE INDEX "catalog_entry_offering_id_idx" ON "catalog"."catalog_entry"("offering_id");

-- CreateIndex
CREATE UNIQUE INDEX "catalog_entry_catalog_version_id_offering_id_key" ON "catalog"."catalog_entry"("catalog_version_id", "offering_id");

-- CreateIndex
CREATE INDEX "catalog_version_effective_channel_id_version_idx" ON "catalog"."catalog_version_effective"("channel_id", "version");

-- AddForeignKey
ALTER TABLE "catalog"."offering" ADD CONSTRAINT "offering_sku_id_fkey" FOREIGN KEY ("sku_id") REFERENCES "catalog"."sku"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."offering_version" ADD CONSTRAINT "offering_version_offering_id_fkey" FOREIGN KEY ("offering_id") REFERENCES "catalog"."offering"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."catalog_version" ADD CONSTRAINT "catalog_version_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "catalog"."channel_catalog"("channel_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."catalog_entry" ADD CONSTRAINT "catalog_entry_catalog_version_id_fkey" FOREIGN KEY ("catalog_version_id") REFERENCES "catalog"."catalog_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."catalog_entry" ADD CONSTRAINT "catalog_entry_offering_id_fkey" FOREIGN KEY ("offering_id") REFERENCES "catalog"."offering"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."catalog_entry" ADD CONSTRAINT "catalog_entry_offering_version_id_fkey" FOREIGN KEY ("offering_version_id") REFERENCES "catalog"."offering_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog"."catalog_version_effective" ADD CONSTRAINT "catalog_version_effective_catalog_version_id_fkey" FOREIGN KEY ("catalog_version_id") REFERENCES "catalog"."catalog_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
