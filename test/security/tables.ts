// Which tables hold tenants' rows. Every table of every slice is classified here; a new table
// fails `database.test.ts` until it is, and a tenant-owned one needs row-level security (see
// docs/security.md for the policies). This is where each later tenant-owned entity adds itself.
import type { SliceName } from '@trellis/prisma';

/** Tables whose rows belong to an organization: RLS enabled and forced, with policies. */
export const TENANT_TABLES: Partial<Record<SliceName, string[]>> = {
  'org-graph': ['audit_log', 'idempotency_record'],
  catalog: ['offering', 'audit_log', 'idempotency_record'],
  pricing: ['price_book', 'price_rule', 'audit_log', 'idempotency_record'],
  'service-policy': [
    'service_policy',
    'service_policy_version',
    'ticket',
    'ticket_status_change',
    'audit_log',
    'idempotency_record',
  ],
  workforce: [
    'engineer',
    'engineer_skill',
    'engineer_coverage',
    'engineer_membership',
    'engineer_assignment',
    'audit_log',
    'idempotency_record',
  ],
  agreements: [
    'agreement',
    'agreement_party',
    'agreement_version',
    'agreement_sla_policy',
    'sla_policy',
    'sla_policy_version',
    'sla_notice',
    'webhook_subscription',
    'webhook_delivery',
    'webhook_attempt',
    'outbox_event',
    'audit_log',
    'idempotency_record',
  ],
};

/**
 * Tables holding public rows beside tenant-owned ones: which rows are the tenants' (a runtime
 * transaction without a tenancy reads none of those, and all of the others).
 */
export const TENANT_ROWS: Record<string, string> = {
  'pricing.price_book': "scope IN ('ORG', 'ORG_CHANNEL')",
  'pricing.price_rule':
    "price_book_id IN (SELECT id FROM pricing.price_book WHERE scope IN ('ORG', 'ORG_CHANNEL'))",
  'catalog.offering': 'latest_version IS NULL',
};

/** Tables every authenticated caller may read (contract: organizations, channels, products…). */
export const PUBLIC_TABLES: Partial<Record<SliceName, string[]>> = {
  'org-graph': [
    '_prisma_migrations',
    'organization',
    'org_certification',
    'org_relationship',
    'channel',
    'channel_member',
    'manufacturers',
    'suppliers',
    // legacy coexistence: what the legacy API answers anyway (docs/coexistence.md), the
    // crosswalk between legacy ids and organizations, and the backfill's progress
    'manufacturer_profile',
    'supplier_profile',
    'manufacturer_organization_map',
    'supplier_organization_map',
    'legacy_backfill_checkpoint',
  ],
  catalog: [
    '_prisma_migrations',
    'product',
    'sku',
    'offering_version',
    'channel_catalog',
    'catalog_version',
    'catalog_entry',
    'catalog_version_effective',
  ],
  pricing: ['_prisma_migrations'],
  'service-policy': ['_prisma_migrations'],
  workforce: ['_prisma_migrations'],
  agreements: ['_prisma_migrations'],
};

/**
 * Tenant-owned tables whose policies a later change delivers (`schema.table` or `schema.*`,
 * with the reason); their test is a `todo` until then. None today.
 */
export const PENDING: Record<string, string> = {};

export const isPending = (schema: string, table: string) =>
  `${schema}.*` in PENDING || `${schema}.${table}` in PENDING;
