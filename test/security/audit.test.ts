// Every mutation and every authorization failure leaves an audit row: UTC time, actor,
// organization, action, object, result and request id. Each later mutation adds its case to
// MUTATIONS (a mutation of a subgraph without one fails the first test).

import { SLICES, type SliceName } from '@trellis/prisma';
import { demoId, demoOrgId } from '@trellis/prisma/seed';
import { SUBGRAPHS } from '@trellis/runner';
import type { ObjectTypeDefinitionNode, ObjectTypeExtensionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from '../support/contract.js';
import { graphql, type OperationName } from '../support/documents.js';
import { codes, startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';
import { allowPrivateTargetsForFile } from '../webhooks/receiver.js';

// the webhook cases' subscriptions name a loopback URL (nothing is delivered to it)
allowPrivateTargetsForFile();

let sg: TestSupergraph;
let asAcme: string;
beforeAll(async () => {
  sg = await startTestSupergraph();
  asAcme = await token({
    sub: 'acme-operator',
    org: demoOrgId('acme'),
    scope:
      'org:write catalog:write catalog:publish pricing:write policy:write tickets:write workforce:write agreements:write webhooks:manage',
  });
});
afterAll(() => sg?.close());

const ACME = demoOrgId('acme');

interface MutationCase {
  slice: SliceName;
  /** a contract operation, or `document` for a mutation the contract does not name */
  operation?: OperationName;
  document?: string;
  variables: () => Record<string, unknown>;
  action: string;
  /** as an organization's operator (default) or as the platform administrator */
  asAdmin?: boolean;
  /** the audit row of the organization a legacy write mirrors (ENABLE_DUAL_WRITE is on) */
  mirrored?: string;
  /** what the mutation needs first (through the API, as Acme) */
  prepare?: () => Promise<void>;
}

let manufacturerId = '';
let supplierId = '';
let productId = '';
let skuId = '';
let offeringId = '';
let priceBookId = '';
const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();
let channelId = '';
/** A channel of Acme's own (the demo channels hold scheduled versions) */
async function ownChannel(): Promise<string> {
  channelId ||= (
    await asAcmeOp('CreateChannel', {
      input: { ownerOrgId: ACME, code: `AUD-CH-${unique()}`, name: 'Audited', currency: 'EUR' },
    })
  ).createChannel.id;
  return channelId;
}

let relationshipId = '';
/** A dealer proposes DEALER_OF Acme (Acme answers). */
async function proposeToAcme(dealer: string): Promise<void> {
  const res = await sg.gql(
    op('CreateOrgRelationship'),
    { input: { fromOrgId: demoOrgId(dealer), toOrgId: ACME, type: 'DEALER_OF' } },
    { token: await token({ org: demoOrgId(dealer), scope: 'org:write' }) },
  );
  expect(res.data.createOrgRelationship.status).toBe('PROPOSED');
  relationshipId = res.data.createOrgRelationship.id;
}

async function asAcmeOp(
  operation: OperationName,
  variables: Record<string, unknown>,
): Promise<any> {
  // a union of operations: their variables checked as a record
  const res = await sg.gql<Record<string, unknown>, Record<string, unknown>>(
    op(operation),
    variables,
    {
      token: asAcme,
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data;
}
/** A new SKU of Acme's (an offering is one per seller and SKU). */
async function newSku(): Promise<void> {
  if (!productId)
    productId = (
      await asAcmeOp('CreateProduct', { input: { manufacturerId: ACME, name: 'For SKUs' } })
    ).createProduct.id;
  skuId = (
    await asAcmeOp('CreateSku', {
      input: { productId, code: `AUD-${unique()}`, name: 'Audited SKU' },
    })
  ).createSku.id;
}
/** Acme's (draft) offering of a new SKU. */
async function newOffering(): Promise<void> {
  await newSku();
  offeringId = (
    await asAcmeOp('CreateOffering', {
      input: { sellerOrgId: ACME, skuId, name: 'Audited offering' },
    })
  ).createOffering.id;
}
async function newPublishedOffering(): Promise<void> {
  await newOffering();
  await asAcmeOp('PublishOffering', { id: offeringId });
}
let engineerId = '';
let membershipId = '';
/** An engineer of Acme's, a member until 2029 (so a later membership does not overlap). */
async function newEngineer(): Promise<void> {
  engineerId = (
    await asAcmeOp('CreateEngineer', {
      input: {
        displayName: `Audited ${unique()}`,
        memberships: [{ orgId: ACME, role: 'TECHNICIAN', validTo: '2029-01-01T00:00:00Z' }],
      },
    })
  ).createEngineer.id;
  const res = await sg.gql(
    'query($id: ID!) { engineer(id: $id) { memberships { id } } }',
    { id: engineerId },
    { token: asAcme },
  );
  membershipId = (res.data as any).engineer.memberships[0].id;
}
async function newPriceBook(): Promise<void> {
  priceBookId = (
    await asAcmeOp('CreatePriceBook', {
      input: {
        name: `Audited ${unique()}`,
        currency: 'EUR',
        scope: 'CHANNEL',
        channelId: await ownChannel(),
      },
    })
  ).createPriceBook.id;
}

let policyId = '';
let ticketId = '';
let agreementId = '';
let slaPolicyId = '';
let subscriptionId = '';
let deliveryId = '';
/** A webhook subscription of Acme's (nothing delivers in this file: the dispatcher is off) */
async function newSubscription() {
  subscriptionId = (await asAcmeOp('CreateWebhookSubscription', subscriptionInput()))
    .createWebhookSubscription.subscription.id;
}
/** A dead delivery of one of Acme's events, as the dispatcher would have left it */
async function deadDelivery() {
  await newSubscription();
  const [event] = await sg.db.query<{ id: string }>(
    `INSERT INTO agreements.outbox_event (id, type, aggregate_type, aggregate_id, org_id, payload)
     VALUES (gen_random_uuid(), 'organization.created', 'Organization', $1::text, $1::uuid, '{}')
     RETURNING id::text`,
    [ACME],
  );
  const [delivery] = await sg.db.query<{ id: string }>(
    `INSERT INTO agreements.webhook_delivery (id, subscription_id, event_id, event_type, status, attempts)
     VALUES (gen_random_uuid(), $1, $2, 'organization.created', 'DEAD', 7) RETURNING id::text`,
    [subscriptionId, event!.id],
  );
  deliveryId = delivery!.id;
}
const subscriptionInput = () => ({
  input: { orgId: ACME, url: `http://127.0.0.1:9/audited/${unique()}`, eventTypes: ['*'] },
});
const slaPolicyInput = () => ({
  input: {
    orgId: ACME,
    name: `Audited ${unique()}`,
    position: 9,
    definition: { targets: [{ metric: 'RESOLUTION', duration: 'PT8H' }] },
  },
});
const ticketInput = () => ({
  input: {
    skuId: demoId('sku', 'ACM-01-9KW'),
    region: 'DE',
    issueType: 'NOISE',
    priority: 'P3',
    reportedByOrgId: ACME,
  },
});

const agreementInput = () => ({
  input: {
    type: 'SERVICE',
    partyOrgIds: [ACME, demoOrgId('frostfix')],
    terms: { notes: unique() },
  },
});

const MUTATIONS: Record<string, MutationCase> = {
  createSlaPolicy: {
    slice: 'agreements',
    operation: 'CreateSlaPolicy',
    variables: slaPolicyInput,
    action: 'sla_policy.create',
  },
  updateSlaPolicy: {
    slice: 'agreements',
    // typed by codegen, passed on as its text
    document: String(
      graphql(`
        mutation AuditedUpdateSlaPolicy($id: ID!, $input: UpdateSlaPolicyInput!) {
          updateSlaPolicy(id: $id, input: $input) { id version }
        }
      `),
    ),
    prepare: async () => {
      slaPolicyId = (await asAcmeOp('CreateSlaPolicy', slaPolicyInput())).createSlaPolicy.id;
    },
    variables: () => ({ id: slaPolicyId, input: { name: `Renamed ${unique()}` } }),
    action: 'sla_policy.update',
  },
  createWebhookSubscription: {
    slice: 'agreements',
    operation: 'CreateWebhookSubscription',
    variables: subscriptionInput,
    action: 'webhook_subscription.create',
  },
  updateWebhookSubscription: {
    slice: 'agreements',
    document: String(
      graphql(`
        mutation AuditedUpdateWebhookSubscription($id: ID!, $input: UpdateWebhookSubscriptionInput!) {
          updateWebhookSubscription(id: $id, input: $input) { id }
        }
      `),
    ),
    prepare: newSubscription,
    variables: () => ({ id: subscriptionId, input: { description: `changed ${unique()}` } }),
    action: 'webhook_subscription.update',
  },
  rotateWebhookSecret: {
    slice: 'agreements',
    document: String(
      graphql(`
        mutation AuditedRotateWebhookSecret($id: ID!) {
          rotateWebhookSecret(id: $id) { subscription { id } }
        }
      `),
    ),
    prepare: newSubscription,
    variables: () => ({ id: subscriptionId }),
    action: 'webhook_subscription.rotate_secret',
  },
  redeliverWebhook: {
    slice: 'agreements',
    operation: 'RedeliverWebhook',
    prepare: deadDelivery,
    variables: () => ({ deliveryId }),
    action: 'webhook_delivery.redeliver',
  },
  replayWebhooks: {
    slice: 'agreements',
    document: String(
      graphql(`
        mutation AuditedReplayWebhooks($id: ID!, $from: DateTime!, $to: DateTime!) {
          replayWebhooks(subscriptionId: $id, from: $from, to: $to) { queued }
        }
      `),
    ),
    prepare: deadDelivery,
    variables: () => ({
      id: subscriptionId,
      from: '2026-01-01T00:00:00.000Z',
      to: new Date(Date.now() + 60_000).toISOString(),
    }),
    action: 'webhook_delivery.replay',
  },
  createAgreement: {
    slice: 'agreements',
    operation: 'CreateAgreement',
    variables: agreementInput,
    action: 'agreement.create',
  },
  updateAgreement: {
    slice: 'agreements',
    operation: 'UpdateAgreement',
    prepare: async () => {
      agreementId = (await asAcmeOp('CreateAgreement', agreementInput())).createAgreement.id;
    },
    variables: () => ({ id: agreementId, input: { terms: { notes: 'changed' } } }),
    action: 'agreement.update',
  },
  createServicePolicy: {
    slice: 'service-policy',
    operation: 'CreateServicePolicy',
    variables: () => ({
      input: { manufacturerId: ACME, name: `Audited ${unique()}`, chain: ['DEALER'] },
    }),
    action: 'service_policy.create',
  },
  updateServicePolicy: {
    slice: 'service-policy',
    operation: 'UpdateServicePolicy',
    prepare: async () => {
      policyId = (
        await asAcmeOp('CreateServicePolicy', {
          input: { manufacturerId: ACME, name: 'To update', chain: ['DEALER'] },
        })
      ).createServicePolicy.id;
    },
    variables: () => ({ id: policyId, input: { priority: 3 } }),
    action: 'service_policy.update',
  },
  createTicket: {
    slice: 'service-policy',
    operation: 'CreateTicket',
    variables: ticketInput,
    action: 'ticket.create',
  },
  updateTicketStatus: {
    slice: 'service-policy',
    operation: 'UpdateTicketStatus',
    prepare: async () => {
      ticketId = (await asAcmeOp('CreateTicket', ticketInput())).createTicket.id;
    },
    variables: () => ({ id: ticketId, status: 'ASSIGNED' }),
    action: 'ticket.status',
  },
  createOrganization: {
    slice: 'org-graph',
    operation: 'CreateOrganization',
    variables: () => ({ input: { name: `Audited ${unique()}`, type: 'DEALER' } }),
    action: 'organization.create',
    asAdmin: true,
  },
  createOrgRelationship: {
    slice: 'org-graph',
    operation: 'CreateOrgRelationship',
    variables: () => ({
      input: { fromOrgId: demoOrgId('wien-waerme'), toOrgId: ACME, type: 'DEALER_OF' },
    }),
    action: 'relationship.create',
  },
  addOrgCertification: {
    slice: 'org-graph',
    operation: 'AddOrgCertification',
    variables: () => ({ orgId: ACME, code: `ISO-${unique()}` }),
    action: 'certification.upsert',
  },
  createChannel: {
    slice: 'org-graph',
    operation: 'CreateChannel',
    variables: () => ({
      input: { ownerOrgId: ACME, code: `AUD-${unique()}`, name: 'Audited', currency: 'EUR' },
    }),
    action: 'channel.create',
  },
  addChannelMember: {
    slice: 'org-graph',
    operation: 'AddChannelMember',
    // already a member: nothing changes, and it is audited all the same
    variables: () => ({
      channelId: demoId('channel', 'ACME-DIRECT-EU'),
      orgId: demoOrgId('nordic'),
    }),
    action: 'channel.member.invite',
  },
  requestChannelMembership: {
    slice: 'org-graph',
    operation: 'RequestChannelMembership',
    variables: () => ({ channelId: demoId('channel', 'ACME-UK') }),
    action: 'channel.member.request',
  },
  respondToChannelMembership: {
    slice: 'org-graph',
    operation: 'RespondToChannelMembership',
    // Atlantic invited Acme into its channel; Acme accepts
    prepare: async () => {
      const atlantic = await token({ org: demoOrgId('atlantic'), scope: 'org:write' });
      const res = await sg.gql(
        op('AddChannelMember'),
        { channelId: demoId('channel', 'BOREALIS-EAST'), orgId: ACME },
        { token: atlantic },
      );
      expect(res.errors).toBeUndefined();
    },
    variables: () => ({ channelId: demoId('channel', 'BOREALIS-EAST'), orgId: ACME, accept: true }),
    action: 'channel.member.accept',
  },
  endChannelMembership: {
    slice: 'org-graph',
    operation: 'EndChannelMembership',
    // an ACTIVE member (added by admin) of Acme's own channel, ended by Acme
    prepare: async () => {
      const res = await sg.gql(op('AddChannelMember'), {
        channelId: await ownChannel(),
        orgId: demoOrgId('nordic'),
      });
      expect(res.errors).toBeUndefined();
    },
    variables: () => ({ channelId, orgId: demoOrgId('nordic') }),
    action: 'channel.member.end',
  },
  acceptOrgRelationship: {
    slice: 'org-graph',
    operation: 'AcceptOrgRelationship',
    prepare: () => proposeToAcme('bay-area-home'),
    variables: () => ({ id: relationshipId }),
    action: 'relationship.accept',
  },
  declineOrgRelationship: {
    slice: 'org-graph',
    operation: 'DeclineOrgRelationship',
    prepare: () => proposeToAcme('seattle-kitchens'),
    variables: () => ({ id: relationshipId }),
    action: 'relationship.decline',
  },
  endOrgRelationship: {
    slice: 'org-graph',
    operation: 'EndOrgRelationship',
    // an ACTIVE relationship (created by admin) ended by Acme, its party
    prepare: async () => {
      const res = await sg.gql(op('CreateOrgRelationship'), {
        input: { fromOrgId: demoOrgId('brooklyn-appliance'), toOrgId: ACME, type: 'DEALER_OF' },
      });
      expect(res.errors).toBeUndefined();
      relationshipId = res.data.createOrgRelationship.id;
    },
    variables: () => ({ id: relationshipId }),
    action: 'relationship.end',
  },
  createManufacturer: {
    slice: 'org-graph',
    operation: 'CreateManufacturer',
    variables: () => ({ input: { name: `Legacy ${unique()}`, country: 'DE' } }),
    action: 'manufacturer.create',
    mirrored: 'organization.create',
    asAdmin: true,
  },
  updateManufacturer: {
    slice: 'org-graph',
    operation: 'UpdateManufacturer',
    variables: () => ({ id: manufacturerId, input: { website: 'https://legacy.example' } }),
    action: 'manufacturer.update',
    mirrored: 'organization.update',
    asAdmin: true,
  },
  createSupplier: {
    slice: 'org-graph',
    operation: 'CreateSupplier',
    variables: () => ({ input: { name: `Supplier ${unique()}`, country: 'SE' } }),
    action: 'supplier.create',
    mirrored: 'organization.create',
    asAdmin: true,
  },
  updateSupplier: {
    slice: 'org-graph',
    operation: 'UpdateSupplier',
    variables: () => ({ id: supplierId, input: { country: 'NO' } }),
    action: 'supplier.update',
    mirrored: 'organization.update',
    asAdmin: true,
  },
  createProduct: {
    slice: 'catalog',
    operation: 'CreateProduct',
    variables: () => ({ input: { manufacturerId: ACME, name: `Audited ${unique()}` } }),
    action: 'product.create',
  },
  createSku: {
    slice: 'catalog',
    operation: 'CreateSku',
    variables: () => ({ input: { productId, code: `AUD-${unique()}`, name: 'Audited SKU' } }),
    action: 'sku.create',
  },
  createOffering: {
    slice: 'catalog',
    operation: 'CreateOffering',
    prepare: newSku,
    variables: () => ({ input: { sellerOrgId: ACME, skuId, name: 'Audited' } }),
    action: 'offering.create',
  },
  updateOfferingDraft: {
    slice: 'catalog',
    operation: 'UpdateOfferingDraft',
    prepare: newOffering,
    variables: () => ({ id: offeringId, input: { name: `Renamed ${unique()}` } }),
    action: 'offering.draft.update',
  },
  publishOffering: {
    slice: 'catalog',
    operation: 'PublishOffering',
    prepare: newOffering,
    variables: () => ({ id: offeringId }),
    action: 'offering.publish',
  },
  publishToChannel: {
    slice: 'catalog',
    operation: 'PublishToChannel',
    prepare: async () => {
      await ownChannel();
      await newPublishedOffering();
    },
    variables: () => ({ channelId, offeringIds: [offeringId] }),
    action: 'catalog.publish',
  },
  unlistFromChannel: {
    slice: 'catalog',
    operation: 'UnlistFromChannel',
    prepare: async () => {
      await newPublishedOffering();
      await asAcmeOp('PublishToChannel', {
        channelId: await ownChannel(),
        offeringIds: [offeringId],
      });
    },
    variables: () => ({ channelId, offeringIds: [offeringId] }),
    action: 'catalog.unlist',
  },
  rollbackChannelCatalog: {
    slice: 'catalog',
    operation: 'RollbackChannelCatalog',
    prepare: async () => {
      await newPublishedOffering();
      await asAcmeOp('PublishToChannel', {
        channelId: await ownChannel(),
        offeringIds: [offeringId],
      });
    },
    variables: () => ({ channelId, toVersion: 1 }),
    action: 'catalog.rollback',
  },
  createPriceBook: {
    slice: 'pricing',
    operation: 'CreatePriceBook',
    prepare: async () => {
      await ownChannel();
    },
    variables: () => ({
      input: {
        name: `Audited ${unique()}`,
        currency: 'EUR',
        scope: 'CHANNEL',
        channelId,
      },
    }),
    action: 'price_book.create',
  },
  updatePriceBook: {
    slice: 'pricing',
    operation: 'UpdatePriceBook',
    prepare: newPriceBook,
    variables: () => ({ id: priceBookId, input: { name: `Renamed ${unique()}` } }),
    action: 'price_book.update',
  },
  createPriceRule: {
    slice: 'pricing',
    operation: 'CreatePriceRule',
    prepare: newPriceBook,
    variables: () => ({
      input: { priceBookId, skuId: demoId('sku', 'BOR-01-28'), kind: 'FIXED', amount: '9.99' },
    }),
    action: 'price_rule.create',
  },
  createEngineer: {
    slice: 'workforce',
    operation: 'CreateEngineer',
    variables: () => ({
      input: {
        displayName: `Audited ${unique()}`,
        memberships: [{ orgId: ACME, role: 'TECHNICIAN' }],
      },
    }),
    action: 'engineer.create',
  },
  assignEngineer: {
    slice: 'workforce',
    operation: 'AssignEngineer',
    prepare: newEngineer,
    // Acme is responsible for the demo's Berlin ticket; the reason makes eligibility moot
    variables: () => ({
      ticketId: demoId('ticket', 'berlin-noise'),
      engineerId,
      overrideReason: 'audited',
    }),
    action: 'engineer.assign_override',
  },
  updateEngineerSkills: {
    slice: 'workforce',
    document:
      'mutation($input: UpdateEngineerSkillsInput!) { updateEngineerSkills(input: $input) { id } }',
    prepare: newEngineer,
    variables: () => ({ input: { engineerId, skills: [{ code: 'HVAC', level: 3 }] } }),
    action: 'engineer.skills',
  },
  updateEngineerCoverage: {
    slice: 'workforce',
    document:
      'mutation($input: UpdateEngineerCoverageInput!) { updateEngineerCoverage(input: $input) { id } }',
    prepare: newEngineer,
    variables: () => ({ input: { engineerId, regions: ['DE'] } }),
    action: 'engineer.coverage',
  },
  addEngineerMembership: {
    slice: 'workforce',
    document:
      'mutation($input: AddEngineerMembershipInput!) { addEngineerMembership(input: $input) { id } }',
    prepare: newEngineer,
    variables: () => ({
      input: {
        engineerId,
        membership: { orgId: ACME, role: 'LEAD', validFrom: '2030-01-01T00:00:00Z' },
      },
    }),
    action: 'engineer.membership.add',
  },
  endEngineerMembership: {
    slice: 'workforce',
    document:
      'mutation($input: EndEngineerMembershipInput!) { endEngineerMembership(input: $input) { id } }',
    prepare: newEngineer,
    variables: () => ({ input: { membershipId } }),
    action: 'engineer.membership.end',
  },
};

/** The mutations each subgraph's SDL declares. */
function declaredMutations(): { slice: SliceName; field: string }[] {
  return SUBGRAPHS.flatMap((s) =>
    s.typeDefs.definitions
      .filter(
        (d): d is ObjectTypeDefinitionNode | ObjectTypeExtensionNode =>
          (d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension') &&
          d.name.value === 'Mutation',
      )
      .flatMap((d) => (d.fields ?? []).map((f) => ({ slice: s.name, field: f.name.value }))),
  );
}

const auditRows = (slice: SliceName, requestId: string) =>
  sg.db.query<Record<string, unknown>>(
    `SELECT actor, org_id::text AS org, action, object_type, object_id, result, request_id, count,
            occurred_at, (occurred_at AT TIME ZONE 'UTC')::text AS utc
     FROM ${SLICES[slice]}.audit_log WHERE request_id = $1`,
    [requestId],
  );

describe('every mutation writes an audit row', () => {
  it('has a case for every mutation of every subgraph', () => {
    const missing = declaredMutations().filter((m) => !MUTATIONS[m.field]);
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(MUTATIONS))('%s', async (field, c) => {
    if (field === 'updateManufacturer' && !manufacturerId) {
      const res = await sg.gql(op('CreateManufacturer'), { input: { name: 'To update' } });
      manufacturerId = res.data.createManufacturer.id;
    }
    if (field === 'updateSupplier' && !supplierId) {
      const res = await sg.gql(op('CreateSupplier'), { input: { name: 'To update' } });
      supplierId = res.data.createSupplier.id;
    }
    if (field === 'createSku' && !productId) {
      const res = await sg.gql(
        op('CreateProduct'),
        { input: { manufacturerId: ACME, name: 'For SKUs' } },
        { token: asAcme },
      );
      productId = res.data.createProduct.id;
    }
    await c.prepare?.();
    const requestId = `audit-${field}-${unique()}`;
    const res = await sg.gql(c.document ?? op(c.operation!), c.variables(), {
      ...(c.asAdmin ? {} : { token: asAcme }),
      headers: { 'x-request-id': requestId },
    });
    expect(res.errors).toBeUndefined();
    const all = await auditRows(c.slice, requestId);
    expect(all.map((r) => r.action).sort()).toEqual(
      [c.action, ...(c.mirrored ? [c.mirrored] : [])].sort(),
    );
    const rows = all.filter((r) => r.action === c.action);
    expect(rows[0]).toMatchObject({
      actor: c.asAdmin ? 'platform-admin' : 'acme-operator',
      org: c.asAdmin ? null : ACME,
      action: c.action,
      result: 'OK',
      request_id: requestId,
    });
    expect(rows[0]!.object_type).toBeTruthy();
    expect(rows[0]!.object_id).toBeTruthy();
    // stored as timestamptz: an instant, written in UTC on the wire and in the log
    expect(rows[0]!.occurred_at).toBeInstanceOf(Date);
    expect(Math.abs((rows[0]!.occurred_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('every authorization failure writes an audit row', () => {
  const failures: [string, SliceName, OperationName, Record<string, unknown>, string][] = [
    [
      'a scope the caller lacks (org-graph)',
      'org-graph',
      'CreateOrganization',
      { input: { name: 'Not allowed', type: 'DEALER' } },
      'mutation.createOrganization',
    ],
    [
      'acting for another organization (org-graph)',
      'org-graph',
      'AddOrgCertification',
      { orgId: demoOrgId('borealis'), code: 'NOPE' },
      'mutation.addOrgCertification',
    ],
    [
      'a scope the caller lacks (catalog)',
      'catalog',
      'CreateProduct',
      { input: { manufacturerId: ACME, name: 'Not allowed' } },
      'mutation.createProduct',
    ],
    [
      'a scope the caller lacks (service-policy)',
      'service-policy',
      'CreateServicePolicy',
      { input: { manufacturerId: ACME, name: 'Not allowed', chain: ['DEALER'] } },
      'mutation.createServicePolicy',
    ],
    [
      'a ticket without tickets:write (service-policy)',
      'service-policy',
      'CreateTicket',
      {
        input: {
          skuId: demoId('sku', 'ACM-01-9KW'),
          region: 'DE',
          issueType: 'NOISE',
          priority: 'P3',
          reportedByOrgId: ACME,
        },
      },
      'mutation.createTicket',
    ],
    [
      'an SLA policy without agreements:write (agreements)',
      'agreements',
      'CreateSlaPolicy',
      {
        input: {
          orgId: demoOrgId('koeln-klima'),
          name: 'Not allowed',
          position: 1,
          definition: { targets: [{ metric: 'RESOLUTION', duration: 'PT8H' }] },
        },
      },
      'mutation.createSlaPolicy',
    ],
    [
      'an assignment without tickets:write (workforce)',
      'workforce',
      'AssignEngineer',
      { ticketId: demoId('ticket', 'koeln-leak'), engineerId: demoId('engineer', '0') },
      'mutation.assignEngineer',
    ],
  ];

  it.each(failures)('%s', async (_, slice, operation, variables, action) => {
    const requestId = `denied-${unique()}`;
    const dealer = await token({
      sub: 'dealer-operator',
      org: demoOrgId('koeln-klima'),
      scope: 'org:write',
    });
    const res = await sg.gql<Record<string, unknown>, Record<string, unknown>>(
      op(operation),
      variables,
      {
        token: dealer,
        headers: { 'x-request-id': requestId },
      },
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const rows = await auditRows(slice, requestId);
    expect(rows).toEqual([
      expect.objectContaining({
        actor: 'dealer-operator',
        org: demoOrgId('koeln-klima'),
        action,
        object_type: 'GraphQLField',
        result: 'DENIED',
        request_id: requestId,
        count: 1,
      }),
    ]);
  });
});

// One refused request is one DENIED row per slice and reason (the field refused and the code),
// counting its refusals: a page of another organization's prices must not write a row per entry
// (an attacker's cheap request would otherwise multiply into an append-only table).
describe('a refusal of many entities is one audit row, with a count', () => {
  const VICTIM = demoOrgId('brooklyn-appliance');
  const attacker = () =>
    token({ sub: 'prying-dealer', org: demoOrgId('koeln-klima'), scope: 'org:write' });
  const deniedRows = (requestIds: string[]) =>
    sg.db.query<{ slice: string; request_id: string; action: string; code: string; count: number }>(
      Object.values(SLICES)
        .map(
          (schema) =>
            `SELECT '${schema}' AS slice, request_id, action, after->>'code' AS code, count
             FROM ${schema}.audit_log WHERE result = 'DENIED' AND request_id = ANY($1)`,
        )
        .join(' UNION ALL '),
      [requestIds],
    );
  const flagship = async (requestId: string, bearer: string) => {
    const res = await sg.gql(
      op('OrgCatalogWithPrices'),
      { orgId: VICTIM, first: 100 },
      { token: bearer, headers: { 'x-request-id': requestId } },
    );
    const refused = codes(res).filter((c) => c === 'FORBIDDEN').length;
    expect(codes(res).every((c) => c === 'FORBIDDEN')).toBe(true);
    return refused;
  };

  it('one refused flagship read: exactly one DENIED row per slice and reason, counting every entry', async () => {
    const requestId = `flagship-${unique()}`;
    const refused = await flagship(requestId, await attacker());
    expect(refused).toBeGreaterThan(10);
    const rows = await deniedRows([requestId]);
    expect(rows).toEqual([
      expect.objectContaining({
        slice: 'pricing',
        action: 'query._entities',
        code: 'FORBIDDEN',
        count: refused,
      }),
    ]);
  });

  it('20 parallel refused requests: 20 rows per slice and reason, not one per entry', async () => {
    const bearer = await attacker();
    const requestIds = Array.from({ length: 20 }, (_, i) => `flagship-par-${i}-${unique()}`);
    const refused = await Promise.all(requestIds.map((id) => flagship(id, bearer)));
    const rows = await deniedRows(requestIds);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(20);
    const byRequest = new Map(rows.map((r) => [r.request_id, r.count]));
    expect(requestIds.map((id) => byRequest.get(id))).toEqual(refused);
  });
});
