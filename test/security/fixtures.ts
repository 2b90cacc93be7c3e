// Two tenants, A and B, each owning one row of every tenant-owned entity that exists, written
// as the owner (bootstrap). The attack tests read and write as A and must never see B's rows.
import { CALLER_HEADER, type Caller, signCaller } from '@trellis/kit';
import type { Database, SliceName } from '@trellis/prisma';
import { PrismaClient as AgreementsClient } from '@trellis/prisma/agreements/generated/client.ts';
import { PrismaClient as CatalogClient } from '@trellis/prisma/catalog/generated/client.ts';
import { PrismaClient as OrgGraphClient } from '@trellis/prisma/org-graph/generated/client.ts';
import { PrismaClient as PricingClient } from '@trellis/prisma/pricing/generated/client.ts';
import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { PrismaClient as ServicePolicyClient } from '@trellis/prisma/service-policy/generated/client.ts';
import { PrismaClient as WorkforceClient } from '@trellis/prisma/workforce/generated/client.ts';
import { SIGNING_SECRET } from '../support/supergraph.js';

/** Tenant A: a dealer in Germany; tenant B: a dealer in the US. Neither is the other's partner. */
export const A = demoOrgId('koeln-klima');
export const B = demoOrgId('brooklyn-appliance');

const id = (key: string) => demoId('security', key);

/** The rows of each tenant, by entity. */
export const ROWS = {
  ticket: { A: id('ticket-a'), B: id('ticket-b') },
  agreement: { A: id('agreement-a'), B: id('agreement-b') },
  slaPolicy: { A: id('sla-a'), B: id('sla-b') },
  webhookSubscription: { A: id('webhook-a'), B: id('webhook-b') },
  webhookDelivery: { A: id('delivery-a'), B: id('delivery-b') },
  event: { A: id('event-a'), B: id('event-b') },
  priceBook: { A: id('book-a'), B: id('book-b') },
  priceRule: { A: id('rule-a'), B: id('rule-b') },
  offeringDraft: { A: id('offering-a'), B: id('offering-b') },
  assignment: { A: id('assignment-a'), B: id('assignment-b') },
  engineer: { A: id('engineer-A'), B: id('engineer-B') },
  engineerMembership: { A: id('membership-a'), B: id('membership-b') },
  engineerSkill: { A: id('skill-a'), B: id('skill-b') },
  auditRow: { A: id('audit-a'), B: id('audit-b') },
} as const;

const SKU = demoId('sku', 'BOR-01-28');

/** Writes both tenants' rows as the owner. */
export async function seedTenants(db: Database): Promise<void> {
  const rows = (key: 'A' | 'B') => ({
    org: key === 'A' ? A : B,
    maker: key === 'A' ? demoOrgId('acme') : demoOrgId('borealis'),
    partner: key === 'A' ? demoOrgId('frostfix') : demoOrgId('coastcare'),
  });
  for (const key of ['A', 'B'] as const) {
    const { org, maker, partner } = rows(key);
    await db.query(
      `INSERT INTO service_policy.ticket (id, sku_id, manufacturer_id, region, issue_type, priority, reported_by_org_id, responsible_org_id, updated_at)
       VALUES ($1, $2, $3, $4, 'NO_COOLING', 'P2', $5, $6, now())`,
      [ROWS.ticket[key], SKU, maker, key === 'A' ? 'DE' : 'US-NY', org, partner],
    );
    await db.query(
      `INSERT INTO agreements.agreement (id, type, status, valid_from, terms, created_by_org_id, updated_at)
       VALUES ($1, 'RESELLER', 'ACTIVE', '2026-01-01', '{"discount": "negotiated"}', $2, now())`,
      [ROWS.agreement[key], org],
    );
    await db.query(
      'INSERT INTO agreements.agreement_party (agreement_id, org_id) VALUES ($1, $2), ($1, $3)',
      [ROWS.agreement[key], org, maker],
    );
    await db.query(
      `INSERT INTO agreements.agreement_version (id, agreement_id, version, status, valid_from, terms)
       VALUES ($1, $2, 1, 'ACTIVE', '2026-01-01', '{"discount": "negotiated"}')`,
      [id(`version-${key}`), ROWS.agreement[key]],
    );
    await db.query(
      `INSERT INTO agreements.sla_policy (id, org_id, name, position, valid_from, definition, updated_at)
       VALUES ($1, $2, $3, 1, '2026-01-01', '{"targets": []}', now())`,
      [ROWS.slaPolicy[key], org, `SLA of ${key}`],
    );
    await db.query(
      'INSERT INTO agreements.agreement_sla_policy (agreement_id, sla_policy_id) VALUES ($1, $2)',
      [ROWS.agreement[key], ROWS.slaPolicy[key]],
    );
    await db.query(
      `INSERT INTO agreements.outbox_event (id, type, aggregate_type, aggregate_id, org_id, payload)
       VALUES ($1, 'agreement.created', 'Agreement', $2, $3, '{}')`,
      [ROWS.event[key], ROWS.agreement[key], org],
    );
    await db.query(
      `INSERT INTO agreements.webhook_subscription (id, org_id, url, event_types, secret, updated_at)
       VALUES ($1, $2, $3, '{*}', $4, now())`,
      [
        ROWS.webhookSubscription[key],
        org,
        `https://hooks.tenant-${key.toLowerCase()}.example/in`,
        `whsec_tenant${key}secret0000`,
      ],
    );
    await db.query(
      `INSERT INTO agreements.webhook_delivery (id, subscription_id, event_id, event_type, status, attempts, updated_at)
       VALUES ($1, $2, $3, 'agreement.created', 'DEAD', 8, now())`,
      [ROWS.webhookDelivery[key], ROWS.webhookSubscription[key], ROWS.event[key]],
    );
    await db.query(
      `INSERT INTO agreements.webhook_attempt (id, delivery_id, number, started_at, response_code, latency_ms)
       VALUES (gen_random_uuid(), $1, 1, now(), 500, 12)`,
      [ROWS.webhookDelivery[key]],
    );
    await db.query(
      `INSERT INTO pricing.price_book (id, name, currency, scope, org_id, valid_from, updated_at)
       VALUES ($1, $2, 'USD', 'ORG', $3, '2026-01-01', now())`,
      [ROWS.priceBook[key], `Negotiated prices of ${key}`, org],
    );
    await db.query(
      `INSERT INTO pricing.price_rule (id, price_book_id, sku_id, kind, amount)
       VALUES ($1, $2, $3, 'FIXED', $4)`,
      [ROWS.priceRule[key], ROWS.priceBook[key], SKU, key === 'A' ? '111.11' : '222.22'],
    );
    await db.query(
      `INSERT INTO catalog.offering (id, seller_org_id, sku_id, draft_name, draft_terms, updated_at)
       VALUES ($1, $2, $3, $4, '{"discount": "negotiated"}', now())`,
      [ROWS.offeringDraft[key], org, SKU, `Draft offering of ${key}`],
    );
    await db.query(
      `INSERT INTO workforce.engineer (id, display_name, updated_at) VALUES ($1, $2, now())`,
      [ROWS.engineer[key], `Engineer of ${key}`],
    );
    // each tenant's engineer is its member, with a skill and coverage: B's are B's alone
    await db.query(
      `INSERT INTO workforce.engineer_membership (id, engineer_id, org_id, role) VALUES ($1, $2, $3, 'TECHNICIAN')`,
      [ROWS.engineerMembership[key], ROWS.engineer[key], org],
    );
    await db.query(
      `INSERT INTO workforce.engineer_skill (id, engineer_id, code, level) VALUES ($1, $2, 'HVAC', 3)`,
      [ROWS.engineerSkill[key], ROWS.engineer[key]],
    );
    await db.query(
      `INSERT INTO workforce.engineer_coverage (id, engineer_id, regions) VALUES (gen_random_uuid(), $1, $2)`,
      [ROWS.engineer[key], [key === 'A' ? 'DE' : 'US-NY']],
    );
    await db.query(
      `INSERT INTO workforce.engineer_assignment (id, ticket_id, org_id, engineer_id, assigned_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [ROWS.assignment[key], ROWS.ticket[key], org, id(`engineer-${key}`), `user-of-${key}`],
    );
    const schemas = [
      'org_graph',
      'catalog',
      'pricing',
      'service_policy',
      'workforce',
      'agreements',
    ];
    for (const schema of schemas) {
      await db.query(
        `INSERT INTO ${schema}.audit_log (id, actor, org_id, action, object_type, object_id)
         VALUES ($1, $2, $3, 'seed', 'Fixture', $4)`,
        [demoId('security', `audit-${schema}-${key}`), `user-of-${key}`, org, ROWS.agreement[key]],
      );
      await db.query(
        `INSERT INTO ${schema}.idempotency_record (org_id, key, operation, request_hash, response)
         VALUES ($1, 'shared-key', 'seed', 'x', '{"secret": "of ${key}"}')`,
        [org],
      );
    }
  }
}

/** A caller of A or B (or any organization) with the given scopes. */
export const callerOf = (orgId: string | null, ...scopes: string[]): Caller => ({
  subject: `user-of-${orgId === A ? 'A' : orgId === B ? 'B' : (orgId ?? 'nobody')}`,
  orgId,
  scopes: new Set(scopes),
});

/** A POST to a subgraph port, signed as the gateway would for `caller`. */
export async function postSubgraph(
  url: string,
  query: string,
  caller: Caller | null,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller) headers[CALLER_HEADER] = await signCaller(caller, SIGNING_SECRET, 'security-r1');
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/** Runtime clients (the slices' own roles, through the runtime adapter), for raw checks. */
export interface RawClient {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  $disconnect(): Promise<void>;
}

export function runtimeClients(db: Database): Record<SliceName, RawClient> {
  return {
    'org-graph': new OrgGraphClient({ adapter: db.adapter('org-graph') }),
    catalog: new CatalogClient({ adapter: db.adapter('catalog') }),
    pricing: new PricingClient({ adapter: db.adapter('pricing') }),
    'service-policy': new ServicePolicyClient({ adapter: db.adapter('service-policy') }),
    workforce: new WorkforceClient({ adapter: db.adapter('workforce') }),
    agreements: new AgreementsClient({ adapter: db.adapter('agreements') }),
  };
}
