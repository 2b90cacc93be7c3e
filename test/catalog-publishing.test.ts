import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  type CatalogPrisma,
  createLoaders as catalogLoaders,
  createPrisma,
  emitDueCatalogEvents,
  readEntryPages,
  startCatalogScheduler,
} from '@trellis/catalog';
import { CALLER_HEADER, createLogger, Flags, signCaller } from '@trellis/kit';
import {
  createLoaders as orgGraphLoaders,
  createPrisma as orgGraphPrisma,
} from '@trellis/org-graph';
import { runAsSystem } from '@trellis/prisma';
import { demoId, demoOfferingId, demoOrgId, seedCatalogPublishing } from '@trellis/prisma/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelCatalogQuery, CreateOfferingInput } from './__generated__/contract.js';
import { op } from './support/contract.js';
import { graphql } from './support/documents.js';
import {
  ALL_ON,
  BACKEND,
  codes,
  firstErrorExtensions,
  type RequestOptions,
  SIGNING_SECRET,
  startTestSupergraph,
  type TestSupergraph,
  token,
} from './support/supergraph.js';

let sg: TestSupergraph;
let prisma: CatalogPrisma;
beforeAll(async () => {
  sg = await startTestSupergraph();
  prisma = createPrisma(sg.db);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await sg?.close();
});

const ACME = demoOrgId('acme');
const RHEINLAND = demoOrgId('rheinland');
const NORDIC = demoOrgId('nordic');
const PACIFIC = demoOrgId('pacific');
const ATLANTIC = demoOrgId('atlantic');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const channelOf = (code: string) => demoId('channel', code);
// the scheduler's dependencies, as a process hands them over
const flagsOn = () => Flags.fromSettings(ALL_ON);
const silentLogger = () => createLogger('catalog-scheduler-test', 'silent');

/** a user of an organization with the catalog scopes (or those given) */
const as = (org: string, scope = 'catalog:write catalog:publish') =>
  token({ sub: `user@${org}`, org, scope });

async function one<T = any>(sql: string, params: unknown[] = []): Promise<T> {
  return (await sg.db.query<any>(sql, params))[0];
}

/** rows that a refused request must not add */
const written = async () =>
  one<{ n: number }>(
    `SELECT (SELECT count(*) FROM catalog.offering) + (SELECT count(*) FROM catalog.offering_version)
          + (SELECT count(*) FROM catalog.channel_catalog) + (SELECT count(*) FROM catalog.catalog_version)
          + (SELECT count(*) FROM catalog.catalog_entry) + (SELECT count(*) FROM catalog.audit_log WHERE result <> 'DENIED')
          + (SELECT count(*) FROM catalog.catalog_version_effective)
          + (SELECT count(*) FROM catalog.idempotency_record)
          + (SELECT count(*) FROM agreements.outbox_event) AS n`,
  ).then((r) => Number(r.n));

const events = (type: string, channelId: string) =>
  sg.db.query<{ payload: any; request_id: string; org_id: string }>(
    `SELECT payload, request_id, org_id::text FROM agreements.outbox_event
      WHERE type = $1 AND aggregate_id = $2 ORDER BY id`,
    [type, channelId],
  );

/** a new channel owned by `owner`, with members (through org-graph's API) */
async function newChannel(code: string, owner: string, members: string[] = []) {
  const res = await sg.gql(op('CreateChannel'), {
    input: { ownerOrgId: owner, code, name: code, currency: 'EUR', regions: ['DE'] },
  });
  expect(res.errors).toBeUndefined();
  const id = res.data.createChannel.id;
  for (const orgId of members) {
    const added = await sg.gql(op('AddChannelMember'), { channelId: id, orgId });
    expect(added.errors).toBeUndefined();
  }
  return id;
}

/** a published offering of a new SKU of a new Acme product, sold by `seller` */
async function newOffering(seller: string, code: string) {
  const product = await sg.gql(op('CreateProduct'), {
    input: { manufacturerId: ACME, name: `Product ${code}` },
  });
  const sku = await sg.gql(op('CreateSku'), {
    input: { productId: product.data.createProduct.id, code, name: `SKU ${code}` },
  });
  const created = await sg.gql(op('CreateOffering'), {
    input: { sellerOrgId: seller, skuId: sku.data.createSku.id, name: `Offer ${code}` },
  });
  expect(created.errors).toBeUndefined();
  const id = created.data.createOffering.id;
  const published = await sg.gql(op('PublishOffering'), { id });
  expect(published.errors).toBeUndefined();
  return { id, skuId: sku.data.createSku.id, productId: product.data.createProduct.id };
}

type ChannelCatalog = NonNullable<ChannelCatalogQuery['channel']>;

/** the offerings a catalog version lists, in order (the version must exist) */
const entriesOf = (catalog: ChannelCatalog['catalog']) =>
  catalog!.entries.edges.map((e) => e.node.offering.id);

async function channelCatalog(
  channelId: string,
  vars: { at?: string; version?: number; first?: number; after?: string | null } = {},
): Promise<ChannelCatalog> {
  const res = await sg.gql(op('ChannelCatalog'), { channelId, first: 100, ...vars });
  expect(res.errors).toBeUndefined();
  return res.data.channel!;
}

describe('the demo seed', () => {
  it('has offerings from every manufacturer and distributor and a catalog on every channel', async () => {
    for (const org of ['acme', 'borealis', 'nordic', 'rheinland', 'pacific', 'atlantic']) {
      const res = await sg.gql(op('Offerings'), { sellerId: demoOrgId(org), first: 1 });
      expect(res.errors).toBeUndefined();
      expect(res.data.offerings.totalCount).toBeGreaterThan(0);
    }
    const channels = await sg.gql(
      graphql(
        `query DemoChannelCatalogs { channels(first: 100) { totalCount edges { node { code catalog { version entries(first: 1) { totalCount } } catalogVersions { version effectiveAt } } } } }`,
      ),
    );
    expect(channels.errors).toBeUndefined();
    expect(channels.data.channels.totalCount).toBe(8);
    for (const { node } of channels.data.channels.edges) {
      expect(node.catalog!.entries.totalCount).toBeGreaterThan(0);
    }
    const byCode = Object.fromEntries(
      channels.data.channels.edges.map((e) => [e.node.code, e.node]),
    );
    // five versions, the fifth scheduled a week ahead: version 4 is in force
    const acmeDirect = byCode['ACME-DIRECT-EU']!;
    expect(acmeDirect.catalogVersions).toHaveLength(5);
    expect(acmeDirect.catalog!.version).toBe(4);
    expect(new Date(acmeDirect.catalogVersions?.[4]?.effectiveAt ?? NaN).getTime()).toBeGreaterThan(
      Date.now() + 6 * 86_400_000,
    );
    expect(byCode['BOREALIS-DIRECT-US']!.catalogVersions).toHaveLength(3);
    expect(byCode['BOREALIS-DIRECT-US']!.catalog).toMatchObject({
      version: 3,
      entries: { totalCount: 30 },
    });
  });

  it('is loaded once', async () => {
    expect(await seedCatalogPublishing(sg.db)).toBe(false);
  });
});

describe('offerings', () => {
  it('lists offerings with seller, SKU and draft; the draft only for the seller and admin', async () => {
    const res = await sg.gql(op('Offerings'), { sellerId: ACME, first: 100 });
    expect(res.data.offerings.totalCount).toBe(30);
    const heatPump = res.data.offerings.edges.find(
      (e) => e.node.id === demoOfferingId('acme', 'ACM-01-6KW'),
    )!.node;
    expect(heatPump).toMatchObject({
      status: 'PUBLISHED',
      latestVersion: 2,
      seller: { id: ACME },
      sku: { id: demoId('sku', 'ACM-01-6KW'), code: 'ACM-01-6KW' },
      draft: { name: 'AeroHeat Air-to-Water Heat Pump, 6 kW' },
    });
    const asNordic = await sg.gql(
      op('Offerings'),
      { sellerId: ACME, first: 1 },
      { token: await as(NORDIC) },
    );
    expect(asNordic.errors).toBeUndefined();
    expect(asNordic.data.offerings.edges[0]!.node.draft).toBeNull();
    const asAcme = await sg.gql(
      op('Offerings'),
      { sellerId: ACME, first: 1 },
      { token: await as(ACME) },
    );
    expect(asAcme.data.offerings.edges[0]!.node.draft).not.toBeNull();
    const drafts = await sg.gql(
      graphql(
        `query OfferingDraftState($id: ID!) { offering(id: $id) { status latestVersion hasUnpublishedChanges } }`,
      ),
      { id: demoOfferingId('atlantic', 'ACM-10-MINI') },
    );
    expect(drafts.data.offering).toEqual({
      status: 'DRAFT',
      latestVersion: null,
      hasUnpublishedChanges: true,
    });
    const seeded = await sg.gql(
      graphql(`query SeededOfferingVersions($two: ID!, $edited: ID!) {
        two: offering(id: $two) { hasUnpublishedChanges v1: version(version: 1) { terms } v2: version(version: 2) { terms } v3: version(version: 3) { terms } }
        edited: offering(id: $edited) { hasUnpublishedChanges latestVersion } }`),
      { two: demoOfferingId('acme', 'ACM-01-9KW'), edited: demoOfferingId('acme', 'ACM-02-5KW') },
    );
    expect(seeded.errors).toBeUndefined();
    expect(seeded.data).toEqual({
      two: {
        hasUnpublishedChanges: false,
        v1: { terms: expect.objectContaining({ warrantyMonths: 24 }) },
        v2: { terms: expect.objectContaining({ warrantyMonths: 36 }) },
        v3: null,
      },
      edited: { hasUnpublishedChanges: true, latestVersion: 1 },
    });
  });

  it('creates an offering, edits its draft and freezes it into versions 1 and 2', async () => {
    const before = await events('offering.published', UNKNOWN);
    expect(before).toHaveLength(0);
    const skuId = demoId('sku', 'ACM-06-BASIC');
    const asRheinland = await as(RHEINLAND);
    const created = await sg.gql(
      op('CreateOffering'),
      {
        input: {
          sellerOrgId: RHEINLAND,
          skuId,
          name: 'SmartStat basic',
          description: 'first',
          terms: { leadTimeDays: 2, incoterm: 'DAP', colour: 'white' },
        },
      },
      { token: asRheinland },
    );
    expect(created.errors).toBeUndefined();
    const offering = created.data.createOffering;
    expect(offering).toMatchObject({
      status: 'DRAFT',
      latestVersion: null,
      seller: { id: RHEINLAND },
      sku: { id: skuId },
      draft: { name: 'SmartStat basic' },
    });
    const v1 = await sg.gql(op('PublishOffering'), { id: offering.id }, { token: asRheinland });
    expect(v1.errors).toBeUndefined();
    expect(v1.data.publishOffering).toMatchObject({
      version: 1,
      name: 'SmartStat basic',
      description: 'first',
      offering: { id: offering.id, status: 'PUBLISHED', latestVersion: 1 },
    });
    // publishing an unchanged draft answers the latest version and writes nothing
    const count = await written();
    const again = await sg.gql(op('PublishOffering'), { id: offering.id }, { token: asRheinland });
    expect(again.data.publishOffering.version).toBe(1);
    expect(await written()).toBe(count);

    const edited = await sg.gql(
      op('UpdateOfferingDraft'),
      { id: offering.id, input: { name: 'SmartStat basic (2026)', description: null } },
      { token: asRheinland },
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data.updateOfferingDraft.draft).toEqual({
      name: 'SmartStat basic (2026)',
      description: null,
      terms: { leadTimeDays: 2, incoterm: 'DAP', colour: 'white' },
    });
    const v2 = await sg.gql(op('PublishOffering'), { id: offering.id }, { token: asRheinland });
    expect(v2.data.publishOffering).toMatchObject({
      version: 2,
      name: 'SmartStat basic (2026)',
      description: null,
      offering: { latestVersion: 2 },
    });
    const history = await sg.gql(op('OfferingVersions'), { id: offering.id });
    expect(history.data.offering!.versions).toEqual([
      {
        version: 1,
        name: 'SmartStat basic',
        description: 'first',
        terms: { leadTimeDays: 2, incoterm: 'DAP', colour: 'white' },
        publishedAt: v1.data.publishOffering.publishedAt,
      },
      {
        version: 2,
        name: 'SmartStat basic (2026)',
        description: null,
        terms: { leadTimeDays: 2, incoterm: 'DAP', colour: 'white' },
        publishedAt: v2.data.publishOffering.publishedAt,
      },
    ]);
    const published = await sg.db.query<any>(
      `SELECT payload, org_id::text AS org FROM agreements.outbox_event
        WHERE type = 'offering.published' AND aggregate_id = $1 ORDER BY id`,
      [offering.id],
    );
    expect(published.map((e) => [e.payload.version, e.org])).toEqual([
      [1, RHEINLAND],
      [2, RHEINLAND],
    ]);
    const audit = await sg.db.query<any>(
      `SELECT action, actor, before, after FROM catalog.audit_log
        WHERE object_type = 'Offering' AND object_id = $1 ORDER BY id`,
      [offering.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'offering.create',
      'offering.publish',
      'offering.draft.update',
      'offering.publish',
    ]);
    expect(audit[3]).toMatchObject({
      actor: `user@${RHEINLAND}`,
      before: { version: 1 },
      after: { version: 2 },
    });
  });

  it('refuses bad offering writes with the contract codes and writes nothing', async () => {
    const before = await written();
    const skuId = demoId('sku', 'ACM-06-WIFI');
    const input = { sellerOrgId: NORDIC, skuId, name: 'x' };
    const cases: [string, CreateOfferingInput, string, string | undefined][] = [
      ['unknown SKU', { ...input, skuId: UNKNOWN }, 'NOT_FOUND', 'input.skuId'],
      ['unknown seller', { ...input, sellerOrgId: UNKNOWN }, 'NOT_FOUND', 'input.sellerOrgId'],
      ['malformed SKU id', { ...input, skuId: 'sku' }, 'BAD_USER_INPUT', 'input.skuId'],
      ['empty name', { ...input, name: ' ' }, 'BAD_USER_INPUT', 'input.name'],
      [
        'terms of the wrong type',
        { ...input, terms: { leadTimeDays: 'soon' } },
        'BAD_USER_INPUT',
        'input.terms.leadTimeDays',
      ],
      ['terms not an object', { ...input, terms: [1] }, 'BAD_USER_INPUT', 'input.terms'],
      [
        'an offering that exists',
        { ...input, skuId: demoId('sku', 'ACM-01-6KW') },
        'CONFLICT',
        'input.skuId',
      ],
    ];
    for (const [name, bad, code, field] of cases) {
      const res = await sg.gql(op('CreateOffering'), { input: bad }, { token: await as(NORDIC) });
      expect([name, codes(res)]).toEqual([name, [code]]);
      expect([name, firstErrorExtensions(res).field]).toEqual([name, field]);
    }
    const dup = await sg.gql(
      op('CreateOffering'),
      { input: { ...input, skuId: demoId('sku', 'ACM-01-6KW') } },
      { token: await as(NORDIC) },
    );
    expect(firstErrorExtensions(dup).offeringId).toBe(demoOfferingId('nordic', 'ACM-01-6KW'));
    const foreign = await sg.gql(op('CreateOffering'), { input }, { token: await as(ACME) });
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    const noScope = await sg.gql(
      op('CreateOffering'),
      { input },
      { token: await as(NORDIC, 'catalog:publish') },
    );
    expect(codes(noScope)).toEqual(['FORBIDDEN']);
    const unknown = await sg.gql(op('PublishOffering'), { id: UNKNOWN });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const someoneElses = await sg.gql(
      op('UpdateOfferingDraft'),
      { id: demoOfferingId('acme', 'ACM-01-6KW'), input: { name: 'mine now' } },
      { token: await as(NORDIC) },
    );
    expect(codes(someoneElses)).toEqual(['FORBIDDEN']);
    const publishForeign = await sg.gql(
      op('PublishOffering'),
      { id: demoOfferingId('acme', 'ACM-02-5KW') },
      { token: await as(NORDIC) },
    );
    expect(codes(publishForeign)).toEqual(['FORBIDDEN']);
    expect(await written()).toBe(before);
  });

  it('replays a retried write with the same key, refuses the key with other input', async () => {
    const input: CreateOfferingInput = {
      sellerOrgId: NORDIC,
      skuId: demoId('sku', 'ACM-06-PRO'),
      name: 'SmartStat pro',
      idempotencyKey: 'offer-smartstat-pro',
    };
    const first = await sg.gql(op('CreateOffering'), { input }, { token: await as(NORDIC) });
    const second = await sg.gql(op('CreateOffering'), { input }, { token: await as(NORDIC) });
    expect(second.errors).toBeUndefined();
    expect(second.data.createOffering.id).toBe(first.data.createOffering.id);
    const other = await sg.gql(
      op('CreateOffering'),
      { input: { ...input, name: 'other' } },
      { token: await as(NORDIC) },
    );
    expect(codes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
    const id = first.data.createOffering.id;
    const p1 = await sg.gql(
      op('PublishOffering'),
      { id, idempotencyKey: 'publish-pro' },
      { token: await as(NORDIC) },
    );
    await sg.gql(
      op('UpdateOfferingDraft'),
      { id, input: { name: 'changed' } },
      { token: await as(NORDIC) },
    );
    const p2 = await sg.gql(
      op('PublishOffering'),
      { id, idempotencyKey: 'publish-pro' },
      { token: await as(NORDIC) },
    );
    // the retry answers version 1 although the draft changed since
    expect(p2.data.publishOffering).toMatchObject({ version: 1, name: 'SmartStat pro' });
    expect(p1.data.publishOffering.version).toBe(1);
  });
});

describe('channel catalogs', () => {
  let channel: string;
  let offers: { id: string; skuId: string }[];
  const times: Record<number, string> = {};

  beforeAll(async () => {
    // Acme's own channel; Rheinland is a member, Nordic is related to Acme (distributor)
    channel = await newChannel('ACME-TEST-HISTORY', ACME, [RHEINLAND]);
    offers = [
      { id: demoOfferingId('acme', 'ACM-02-2.5KW'), skuId: demoId('sku', 'ACM-02-2.5KW') },
      { id: demoOfferingId('acme', 'ACM-02-3.5KW'), skuId: demoId('sku', 'ACM-02-3.5KW') },
      { id: demoOfferingId('rheinland', 'ACM-03-24'), skuId: demoId('sku', 'ACM-03-24') },
    ];
  });

  it('keeps history: publish v1, publish v2, unlist v3, rollback to 1 = v4', async () => {
    const [a, b, c] = offers as [(typeof offers)[0], (typeof offers)[0], (typeof offers)[0]];
    const empty = await channelCatalog(channel);
    expect(empty).toMatchObject({ id: channel, catalogVersions: [], catalog: null });

    const v1 = await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [a.id, b.id],
    });
    expect(v1.errors).toBeUndefined();
    expect(v1.data.publishToChannel).toMatchObject({
      version: 1,
      channel: { id: channel },
      entries: { totalCount: 2 },
    });
    expect(v1.data.publishToChannel.effectiveAt).toBe(v1.data.publishToChannel.publishedAt);
    times[1] = v1.data.publishToChannel.publishedAt;

    const v2 = await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [c.id],
    });
    expect(v2.data.publishToChannel).toMatchObject({ version: 2, entries: { totalCount: 3 } });
    times[2] = v2.data.publishToChannel.publishedAt;

    const v3 = await sg.gql(op('UnlistFromChannel'), {
      channelId: channel,
      offeringIds: [b.id],
    });
    expect(v3.errors).toBeUndefined();
    expect(v3.data.unlistFromChannel).toMatchObject({ version: 3, entries: { totalCount: 2 } });
    times[3] = v3.data.unlistFromChannel.publishedAt;

    const v4 = await sg.gql(op('RollbackChannelCatalog'), {
      channelId: channel,
      toVersion: 1,
    });
    expect(v4.errors).toBeUndefined();
    expect(v4.data.rollbackChannelCatalog).toMatchObject({
      version: 4,
      entries: { totalCount: 2 },
    });
    times[4] = v4.data.rollbackChannelCatalog.publishedAt;

    const now = await channelCatalog(channel);
    expect(now.catalogVersions!.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(now.catalogVersions!.map((v) => v.publishedAt)).toEqual([
      times[1],
      times[2],
      times[3],
      times[4],
    ]);
    expect(now.catalog).toMatchObject({ version: 4, publishedAt: times[4] });
    expect(entriesOf(now.catalog)).toEqual([a.id, b.id]);
    const v2Again = await channelCatalog(channel, { version: 2 });
    expect(v2Again.catalog!.version).toBe(2);
    expect(entriesOf(v2Again.catalog)).toEqual([a.id, b.id, c.id]);
    expect(v2Again.catalog?.entries.edges[2]?.node).toMatchObject({
      offering: { id: c.id },
      offeringVersion: { version: 1, name: expect.stringContaining('ThermaFlow Gas Boiler') },
      sku: { id: c.skuId, code: 'ACM-03-24' },
    });
    const atV1 = await channelCatalog(channel, { at: times[1] });
    expect(atV1.catalog!.version).toBe(1);
    expect(entriesOf(atV1.catalog)).toEqual([a.id, b.id]);
    expect((await channelCatalog(channel, { at: times[3] })).catalog!.version).toBe(3);
    const before = await channelCatalog(channel, {
      at: new Date(new Date(times[1]!).getTime() - 1).toISOString(),
    });
    expect(before.catalog).toBeNull();
    expect((await channelCatalog(channel, { version: 9 })).catalog).toBeNull();
    const details = await sg.gql(
      graphql(
        `query CatalogVersionDetails($id: ID!) { channel(id: $id) { catalogVersions { version kind rolledBackTo changedOfferingIds publishedBy { id } } } }`,
      ),
      { id: channel },
    );
    expect(details.data.channel!.catalogVersions).toEqual([
      {
        version: 1,
        kind: 'PUBLISH',
        rolledBackTo: null,
        changedOfferingIds: [a.id, b.id],
        publishedBy: null,
      },
      {
        version: 2,
        kind: 'PUBLISH',
        rolledBackTo: null,
        changedOfferingIds: [c.id],
        publishedBy: null,
      },
      {
        version: 3,
        kind: 'UNLIST',
        rolledBackTo: null,
        changedOfferingIds: [b.id],
        publishedBy: null,
      },
      { version: 4, kind: 'ROLLBACK', rolledBackTo: 1, changedOfferingIds: [], publishedBy: null },
    ]);
  });

  it('pages a version’s entries in listing order', async () => {
    const first = await channelCatalog(channel, { version: 2, first: 2 });
    expect(first.catalog!.entries.totalCount).toBe(3);
    expect(first.catalog!.entries.pageInfo.hasNextPage).toBe(true);
    const rest = await channelCatalog(channel, {
      version: 2,
      first: 2,
      after: first.catalog!.entries.pageInfo.endCursor,
    });
    expect(rest.catalog!.entries.pageInfo.hasNextPage).toBe(false);
    expect([...entriesOf(first.catalog), ...entriesOf(rest.catalog)]).toEqual(
      offers.map((o) => o.id),
    );
  });

  it('audits every change and emits its events in the same transaction', async () => {
    const audit = await sg.db.query<any>(
      `SELECT action, actor, request_id, before, after FROM catalog.audit_log
        WHERE object_type = 'Channel' AND object_id = $1 ORDER BY id`,
      [channel],
    );
    expect(audit.map((a) => [a.action, a.before.version, a.after.version])).toEqual([
      ['catalog.publish', null, 1],
      ['catalog.publish', 1, 2],
      ['catalog.unlist', 2, 3],
      ['catalog.rollback', 3, 4],
    ]);
    expect(audit[0]).toMatchObject({
      actor: 'platform-admin',
      after: { offeringIds: [offers[0]!.id, offers[1]!.id], kind: 'PUBLISH', entryCount: 2 },
    });
    expect(audit[3].after).toMatchObject({ rolledBackTo: 1, offeringIds: [] });
    const published = await events('catalog.published', channel);
    expect(published.map((e) => e.payload.version)).toEqual([1, 2, 3, 4]);
    expect(published.map((e) => e.request_id)).toEqual(audit.map((a) => a.request_id));
    expect(published[0]!.org_id).toBe(ACME);
    const effective = await events('catalog.version_effective', channel);
    expect(effective.map((e) => e.payload.version)).toEqual([1, 2, 3, 4]);
    // the request id is the one the gateway answered
    const res = await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [offers[1]!.id],
    });
    const [row] = await sg.db.query<any>(
      `SELECT request_id FROM catalog.audit_log WHERE object_id = $1 AND after->>'version' = '5'`,
      [channel],
    );
    expect(row.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('lists an offering at its latest version and moves it when published again', async () => {
    const { id } = await newOffering(ACME, 'ACM-TEST-MOVE');
    const v = await sg.gql(op('PublishToChannel'), { channelId: channel, offeringIds: [id] });
    const version = v.data.publishToChannel.version;
    await sg.gql(op('UpdateOfferingDraft'), { id, input: { description: 'v2' } });
    await sg.gql(op('PublishOffering'), { id });
    const before = await channelCatalog(channel, { version });
    const listedVersion = (c: ChannelCatalog['catalog']) =>
      c?.entries.edges.find((e) => e.node.offering.id === id)?.node.offeringVersion.version;
    expect(listedVersion(before.catalog)).toBe(1);
    const again = await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [id],
    });
    const after = await channelCatalog(channel, { version: again.data.publishToChannel.version });
    expect(listedVersion(after.catalog)).toBe(2);
    // same position, same count
    expect(entriesOf(after.catalog)).toEqual(entriesOf(before.catalog));
  });

  it('replays a retried publish with the same key: the same version, no new one', async () => {
    const vars = {
      channelId: channel,
      offeringIds: [offers[2]!.id],
      idempotencyKey: 'publish-boiler-once',
    };
    const first = await sg.gql(op('PublishToChannel'), vars);
    const count = await written();
    const retry = await sg.gql(op('PublishToChannel'), vars);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.publishToChannel).toEqual(first.data.publishToChannel);
    expect(await written()).toBe(count);
    const other = await sg.gql(op('PublishToChannel'), {
      ...vars,
      offeringIds: [offers[0]!.id],
    });
    expect(codes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
    const header = await sg.gql(
      op('UnlistFromChannel'),
      { channelId: channel, offeringIds: [offers[2]!.id] },
      { headers: { 'idempotency-key': 'unlist-boiler-once' } },
    );
    const headerRetry = await sg.gql(
      op('UnlistFromChannel'),
      { channelId: channel, offeringIds: [offers[2]!.id] },
      { headers: { 'idempotency-key': 'unlist-boiler-once' } },
    );
    expect(headerRetry.data.unlistFromChannel.version).toBe(header.data.unlistFromChannel.version);
  });
});

describe('refused changes', () => {
  let channel: string;
  beforeAll(async () => {
    channel = await newChannel('ACME-TEST-REFUSED', ACME, [RHEINLAND]);
    await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [demoOfferingId('acme', 'ACM-04-S')],
    });
  });

  async function refused<V>(
    name: string,
    query: DocumentTypeDecoration<unknown, V>,
    vars: NoInfer<V>,
    expected: { code: string; field?: string; reason?: string; offeringId?: string },
    tokenValue?: string,
  ) {
    const before = await written();
    const res = await sg.gql(query, vars, tokenValue ? { token: tokenValue } : {});
    expect([name, codes(res)]).toEqual([name, [expected.code]]);
    const ext = firstErrorExtensions(res);
    if (expected.field) expect([name, ext.field]).toEqual([name, expected.field]);
    if (expected.reason) expect([name, ext.reason]).toEqual([name, expected.reason]);
    if (expected.offeringId) expect([name, ext.offeringId]).toEqual([name, expected.offeringId]);
    expect([name, await written()]).toEqual([name, before]);
    return res;
  }

  it('answers the contract codes, names the offering and why, and writes nothing', async () => {
    const publish = op('PublishToChannel');
    const listed = demoOfferingId('acme', 'ACM-04-S');
    await refused(
      'unknown channel',
      publish,
      { channelId: UNKNOWN, offeringIds: [listed] },
      { code: 'NOT_FOUND', field: 'channelId' },
    );
    await refused(
      'unknown offering',
      publish,
      { channelId: channel, offeringIds: [listed, UNKNOWN] },
      { code: 'NOT_FOUND', field: 'offeringIds', offeringId: UNKNOWN },
    );
    const draft = demoOfferingId('atlantic', 'ACM-10-MINI');
    const notPublished = await refused(
      'an offering with no published version',
      publish,
      { channelId: channel, offeringIds: [draft] },
      { code: 'BAD_USER_INPUT', field: 'offeringIds', reason: 'NOT_PUBLISHED', offeringId: draft },
    );
    expect(notPublished.errors?.[0]?.message).toContain(draft);
    const pacific = demoOfferingId('pacific', 'BOR-01-28');
    const outside = await refused(
      'a seller outside the channel',
      publish,
      { channelId: channel, offeringIds: [listed, pacific, draft] },
      { code: 'BAD_USER_INPUT', reason: 'SELLER_NOT_ALLOWED', offeringId: pacific },
    );
    // every refused offering is named
    expect(firstErrorExtensions(outside).problems).toEqual([
      {
        offeringId: pacific,
        reason: 'SELLER_NOT_ALLOWED',
        message: expect.stringContaining('Pacific'),
      },
      { offeringId: draft, reason: 'NOT_PUBLISHED', message: expect.any(String) },
    ]);
    await refused(
      'rollback to a version that does not exist',
      op('RollbackChannelCatalog'),
      { channelId: channel, toVersion: 7 },
      { code: 'BAD_USER_INPUT', field: 'toVersion', reason: 'VERSION_NOT_FOUND' },
    );
    await refused(
      'rollback to version 0',
      op('RollbackChannelCatalog'),
      { channelId: channel, toVersion: 0 },
      { code: 'BAD_USER_INPUT', field: 'toVersion' },
    );
    await refused(
      'an effectiveAt in the past',
      publish,
      {
        channelId: channel,
        offeringIds: [listed],
        effectiveAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      { code: 'BAD_USER_INPUT', field: 'effectiveAt', reason: 'EFFECTIVE_AT_IN_PAST' },
    );
    await refused(
      'unlisting an offering that is not listed',
      op('UnlistFromChannel'),
      { channelId: channel, offeringIds: [demoOfferingId('acme', 'ACM-04-M')] },
      {
        code: 'BAD_USER_INPUT',
        reason: 'NOT_LISTED',
        offeringId: demoOfferingId('acme', 'ACM-04-M'),
      },
    );
    await refused(
      'no offerings',
      publish,
      { channelId: channel, offeringIds: [] },
      { code: 'BAD_USER_INPUT', field: 'offeringIds' },
    );
    await refused(
      'a malformed offering id',
      publish,
      { channelId: channel, offeringIds: ['acme'] },
      { code: 'BAD_USER_INPUT', field: 'offeringIds.0' },
    );
    // the seeded ACME-DIRECT-EU has version 5 scheduled a week ahead
    await refused(
      'a change that would bring a scheduled version forward',
      publish,
      { channelId: channelOf('ACME-DIRECT-EU'), offeringIds: [listed] },
      { code: 'CONFLICT', field: 'effectiveAt', reason: 'SCHEDULE_CONFLICT' },
    );
    const both = await sg.gql(op('ChannelCatalog'), {
      channelId: channel,
      version: 1,
      at: new Date().toISOString(),
    });
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses inactive SKUs, products and channels', async () => {
    const sku = await newOffering(ACME, 'ACM-TEST-OLD');
    const product = await newOffering(ACME, 'ACM-TEST-GONE');
    await sg.db.query(`UPDATE catalog.sku SET status = 'DISCONTINUED' WHERE id = $1`, [sku.skuId]);
    await sg.db.query(`UPDATE catalog.product SET status = 'INACTIVE' WHERE id = $1`, [
      product.productId,
    ]);
    const res = await refused(
      'inactive SKU and product',
      op('PublishToChannel'),
      { channelId: channel, offeringIds: [sku.id, product.id] },
      { code: 'BAD_USER_INPUT', reason: 'SKU_INACTIVE', offeringId: sku.id },
    );
    expect(firstErrorExtensions(res).problems).toMatchObject([
      { offeringId: sku.id, reason: 'SKU_INACTIVE' },
      { offeringId: product.id, reason: 'PRODUCT_INACTIVE' },
    ]);
    const closed = await newChannel('ACME-TEST-CLOSED', ACME);
    await sg.db.query(`UPDATE org_graph.channel SET status = 'INACTIVE' WHERE id = $1`, [closed]);
    await refused(
      'inactive channel',
      op('PublishToChannel'),
      { channelId: closed, offeringIds: [demoOfferingId('acme', 'ACM-04-S')] },
      { code: 'BAD_USER_INPUT', field: 'channelId', reason: 'CHANNEL_INACTIVE' },
    );
  });

  it('lets the owner change anything, a seller only its own offerings, nobody else', async () => {
    const rheinlandOffer = demoOfferingId('rheinland', 'ACM-01-9KW');
    const acmeOffer = demoOfferingId('acme', 'ACM-04-M');
    const asRheinland = await as(RHEINLAND);
    // a member seller lists its own offering
    const own = await sg.gql(
      op('PublishToChannel'),
      { channelId: channel, offeringIds: [rheinlandOffer] },
      { token: asRheinland },
    );
    expect(own.errors).toBeUndefined();
    // a related seller (Nordic distributes Acme) too
    const related = await sg.gql(
      op('PublishToChannel'),
      { channelId: channel, offeringIds: [demoOfferingId('nordic', 'ACM-01-9KW')] },
      { token: await as(NORDIC) },
    );
    expect(related.errors).toBeUndefined();
    const publish = op('PublishToChannel');
    await refused(
      'a seller listing another seller’s offering',
      publish,
      { channelId: channel, offeringIds: [acmeOffer] },
      { code: 'FORBIDDEN' },
      asRheinland,
    );
    await refused(
      'a seller unlisting another seller’s offering',
      op('UnlistFromChannel'),
      { channelId: channel, offeringIds: [demoOfferingId('acme', 'ACM-04-S')] },
      { code: 'FORBIDDEN' },
      asRheinland,
    );
    await refused(
      'a seller rolling back',
      op('RollbackChannelCatalog'),
      { channelId: channel, toVersion: 1 },
      { code: 'FORBIDDEN' },
      asRheinland,
    );
    await refused(
      'without catalog:publish',
      publish,
      { channelId: channel, offeringIds: [rheinlandOffer] },
      { code: 'FORBIDDEN' },
      await as(RHEINLAND, 'catalog:write'),
    );
    await refused(
      'a seller that may not sell in the channel, with its own offering',
      publish,
      { channelId: channel, offeringIds: [demoOfferingId('pacific', 'BOR-01-28')] },
      { code: 'BAD_USER_INPUT', reason: 'SELLER_NOT_ALLOWED' },
      await as(PACIFIC),
    );
    await refused(
      'no organization',
      publish,
      { channelId: channel, offeringIds: [rheinlandOffer] },
      { code: 'FORBIDDEN' },
      await token({ sub: 'nobody', scope: 'catalog:publish' }),
    );
    // the owner lists a member's offering, unlists it and rolls back
    const asAcme = await as(ACME);
    const owner = await sg.gql(
      op('UnlistFromChannel'),
      { channelId: channel, offeringIds: [rheinlandOffer] },
      { token: asAcme },
    );
    expect(owner.errors).toBeUndefined();
    const rollback = await sg.gql(
      op('RollbackChannelCatalog'),
      { channelId: channel, toVersion: 1 },
      { token: asAcme },
    );
    expect(rollback.errors).toBeUndefined();
    const versions = await sg.db.query<any>(
      `SELECT version, published_by_org_id::text AS org FROM catalog.catalog_version
        WHERE channel_id = $1 ORDER BY version`,
      [channel],
    );
    expect(versions.slice(-4).map((v) => v.org)).toEqual([RHEINLAND, NORDIC, ACME, ACME]);
  });
});

describe('immutability', () => {
  const attempts = [
    ['offering_version', `UPDATE catalog.offering_version SET name = 'changed'`],
    ['offering_version', 'DELETE FROM catalog.offering_version'],
    ['catalog_version', 'UPDATE catalog.catalog_version SET entry_count = 0'],
    ['catalog_version', 'DELETE FROM catalog.catalog_version'],
    ['catalog_entry', `UPDATE catalog.catalog_entry SET offering_version = 99`],
    ['catalog_entry', 'DELETE FROM catalog.catalog_entry'],
    ['catalog_entry', 'TRUNCATE catalog.catalog_entry CASCADE'],
    ['catalog_version', 'TRUNCATE catalog.catalog_version CASCADE'],
    ['offering_version', 'TRUNCATE catalog.offering_version CASCADE'],
  ] as const;

  it.each(attempts)('the database refuses to change %s: %s', async (table, sql) => {
    const before = await one<{ n: string }>(`SELECT count(*) AS n FROM catalog.${table}`);
    await expect(sg.db.query(sql)).rejects.toThrow(/immutable/);
    expect(await one(`SELECT count(*) AS n FROM catalog.${table}`)).toEqual(before);
  });

  it('refuses it through Prisma too', async () => {
    const version = await prisma.catalogVersion.findFirstOrThrow();
    await expect(
      prisma.catalogVersion.update({ where: { id: version.id }, data: { entryCount: 0 } }),
    ).rejects.toThrow(/immutable/);
    await expect(prisma.catalogEntry.deleteMany({})).rejects.toThrow(/immutable/);
    const offeringVersion = await prisma.offeringVersion.findFirstOrThrow();
    await expect(
      prisma.offeringVersion.delete({ where: { id: offeringVersion.id } }),
    ).rejects.toThrow(/immutable/);
    expect(await prisma.catalogVersion.findUnique({ where: { id: version.id } })).toEqual(version);
  });
});

describe(`concurrent publishes (${BACKEND})`, () => {
  it('yield consecutive versions, the last containing every change (no lost update)', async () => {
    const channel = await newChannel('ACME-TEST-RACE', ACME);
    const offerings = [
      'ACM-05-150L',
      'ACM-05-200L',
      'ACM-05-300L',
      'ACM-06-BASIC',
      'ACM-06-WIFI',
    ].map((code) => demoOfferingId('acme', code));
    const results = await Promise.all(
      offerings.map((id) =>
        sg.gql(op('PublishToChannel'), { channelId: channel, offeringIds: [id] }),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const versions = results.map((r) => r.data.publishToChannel.version).sort();
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    for (const r of results) {
      expect(r.data.publishToChannel.entries.totalCount).toBe(r.data.publishToChannel.version);
    }
    const latest = await channelCatalog(channel);
    expect(latest.catalog!.version).toBe(5);
    expect(new Set(entriesOf(latest.catalog))).toEqual(new Set(offerings));
    // versions' times follow their numbers
    const times = latest.catalogVersions!.map((v) => new Date(v.publishedAt).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('of one offering yield consecutive offering versions', async () => {
    const { id } = await newOffering(NORDIC, 'ACM-TEST-RACE-OFFER');
    const results = await Promise.all(
      [1, 2, 3].map(async (n) => {
        await sg.gql(op('UpdateOfferingDraft'), { id, input: { name: `draft ${n}` } });
        return sg.gql(op('PublishOffering'), { id });
      }),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const history = await sg.gql(op('OfferingVersions'), { id });
    const numbers = history.data.offering!.versions.map((v) => v.version);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers.length).toBeGreaterThanOrEqual(2);
  });
});

describe('scheduling', () => {
  let channel: string;
  const offer = demoOfferingId('acme', 'ACM-07-STD');
  const later = demoOfferingId('acme', 'ACM-07-BUF');
  beforeAll(async () => {
    channel = await newChannel('ACME-TEST-SCHEDULE', ACME);
    await sg.gql(op('PublishToChannel'), { channelId: channel, offeringIds: [offer] });
  });

  it('answers a scheduled version from its effectiveAt on and emits its event once', async () => {
    const effectiveAt = new Date(Date.now() + 60_000).toISOString();
    const scheduled = await sg.gql(op('PublishToChannel'), {
      channelId: channel,
      offeringIds: [later],
      effectiveAt,
    });
    expect(scheduled.errors).toBeUndefined();
    expect(scheduled.data.publishToChannel).toMatchObject({
      version: 2,
      effectiveAt,
      entries: { totalCount: 2 },
    });
    expect((await channelCatalog(channel)).catalog!.version).toBe(1);
    expect((await channelCatalog(channel, { at: effectiveAt })).catalog!.version).toBe(2);
    expect((await channelCatalog(channel, { version: 2 })).catalog!.version).toBe(2);
    // an immediate change now would bring it forward
    const early = await sg.gql(op('UnlistFromChannel'), {
      channelId: channel,
      offeringIds: [offer],
    });
    expect(codes(early)).toEqual(['CONFLICT']);
    expect(firstErrorExtensions(early)).toMatchObject({
      scheduledVersion: 2,
      scheduledAt: effectiveAt,
    });

    const due = new Date(Date.parse(effectiveAt) + 1000);
    expect(
      (await emitDueCatalogEvents(prisma, new Date(Date.parse(effectiveAt) - 1000))).filter(
        (d) => d.channelId === channel,
      ),
    ).toEqual([]);
    // three passes at once, two of them through another client (another replica)
    const replica = createPrisma(sg.db);
    try {
      const passes = await Promise.all([
        emitDueCatalogEvents(prisma, due),
        emitDueCatalogEvents(replica, due),
        emitDueCatalogEvents(replica, due),
      ]);
      const mine = passes.flat().filter((d) => d.channelId === channel);
      expect(mine).toEqual([
        {
          catalogVersionId: expect.any(String),
          channelId: channel,
          version: 2,
          effectiveAt: new Date(effectiveAt),
          superseded: false,
        },
      ]);
    } finally {
      await replica.$disconnect();
    }
    expect(await emitDueCatalogEvents(prisma, due)).toEqual([]);
    const effective = await events('catalog.version_effective', channel);
    expect(effective.map((e) => [e.payload.version, e.org_id])).toEqual([
      [1, ACME],
      [2, ACME],
    ]);
  });

  it('a rollback cancels a schedule: the superseded version never takes effect, no event', async () => {
    const channel2 = await newChannel('ACME-TEST-CANCEL', ACME);
    await sg.gql(op('PublishToChannel'), { channelId: channel2, offeringIds: [offer] });
    const effectiveAt = new Date(Date.now() + 3_600_000).toISOString();
    await sg.gql(op('PublishToChannel'), {
      channelId: channel2,
      offeringIds: [later],
      effectiveAt,
    });
    const cancel = await sg.gql(op('RollbackChannelCatalog'), {
      channelId: channel2,
      toVersion: 1,
    });
    expect(cancel.data.rollbackChannelCatalog.version).toBe(3);
    const afterwards = new Date(Date.parse(effectiveAt) + 60_000);
    expect(
      (await channelCatalog(channel2, { at: afterwards.toISOString() })).catalog!.version,
    ).toBe(3);
    const claimed = (await emitDueCatalogEvents(prisma, afterwards)).filter(
      (d) => d.channelId === channel2,
    );
    expect(claimed).toMatchObject([{ version: 2, superseded: true }]);
    expect(
      (await events('catalog.version_effective', channel2)).map((e) => e.payload.version),
    ).toEqual([1, 3]);
  });

  it('the scheduler emits the event when the time comes, once', async () => {
    const channel3 = await newChannel('ACME-TEST-TIMER', ACME);
    const effectiveAt = new Date(Date.now() + 3_000).toISOString();
    const res = await sg.gql(op('PublishToChannel'), {
      channelId: channel3,
      offeringIds: [offer],
      effectiveAt,
    });
    expect(res.errors).toBeUndefined();
    expect((await channelCatalog(channel3)).catalog).toBeNull();
    const deps = { db: sg.db, flags: flagsOn(), metrics: sg.metrics, logger: silentLogger() };
    const schedulers = [
      startCatalogScheduler(deps, { intervalMs: 100 }),
      startCatalogScheduler(deps, { intervalMs: 100 }),
    ];
    try {
      for (let i = 0; i < 100; i++) {
        if ((await events('catalog.version_effective', channel3)).length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
    }
    expect((await events('catalog.version_effective', channel3)).map((e) => e.payload)).toEqual([
      { channelId: channel3, version: 1, effectiveAt, scheduled: true },
    ]);
    expect((await channelCatalog(channel3)).catalog!.version).toBe(1);
  });

  it('the seeded schedule comes into force a week ahead', async () => {
    const channelId = channelOf('ACME-DIRECT-EU');
    const inAWeek = new Date(Date.now() + 8 * 86_400_000);
    expect((await channelCatalog(channelId, { at: inAWeek.toISOString() })).catalog!.version).toBe(
      5,
    );
    const due = await emitDueCatalogEvents(prisma, inAWeek);
    expect(due.filter((d) => d.channelId === channelId)).toMatchObject([
      { version: 5, superseded: false },
    ]);
  });
});

describe('SQL statements', () => {
  const PAGE =
    graphql(`query CatalogEntryPage($channelId: ID!, $first: Int) { channel(id: $channelId) { id catalog {
    version entries(first: $first) { totalCount edges { node {
      id channelId skuId catalogVersion seller { id } channel { id }
      offering { id status latestVersion hasUnpublishedChanges seller { id } draft { name } }
      offeringVersion { id version name terms }
      sku { id code status product { id name status manufacturer { id } } } } } } } } }`);
  let channel: string;

  beforeAll(async () => {
    channel = await newChannel('ACME-TEST-BIG', ACME, [RHEINLAND, NORDIC]);
    const existing = await sg.db.query<{ id: string }>(
      `SELECT o.id::text AS id FROM catalog.offering o
        WHERE o.seller_org_id = ANY($1::uuid[]) AND o.latest_version IS NOT NULL
          AND o.sku_id IN (SELECT s.id FROM catalog.sku s JOIN catalog.product p ON p.id = s.product_id
                            WHERE p.manufacturer_id = $2 AND p.status = 'ACTIVE' AND s.status = 'ACTIVE')`,
      [[ACME, RHEINLAND, NORDIC, ATLANTIC], ACME],
    );
    const ids = existing.map((r) => r.id);
    for (let i = 0; ids.length < 110; i++)
      ids.push((await newOffering(RHEINLAND, `ACM-BULK-${i}`)).id);
    const res = await sg.gql(op('PublishToChannel'), { channelId: channel, offeringIds: ids });
    expect(res.errors).toBeUndefined();
    expect(res.data.publishToChannel.entries.totalCount).toBeGreaterThanOrEqual(110);
  });

  async function cost<R, V>(query: DocumentTypeDecoration<R, V>, vars: NoInfer<V>) {
    const before = await sg.statements('catalog');
    const res = await sg.gql(query, vars);
    expect(res.errors).toBeUndefined();
    return { statements: (await sg.statements('catalog')) - before, data: res.data };
  }

  it('a page of 100 entries with offering, version, SKU and product costs what a page of 5 does', async () => {
    const five = await cost(PAGE, { channelId: channel, first: 5 });
    const hundred = await cost(PAGE, { channelId: channel, first: 100 });
    expect(five.data.channel?.catalog?.entries.edges).toHaveLength(5);
    expect(hundred.data.channel?.catalog?.entries.edges).toHaveLength(100);
    expect(hundred.statements).toBe(five.statements);
    // channel view, then the catalog version with its entry page: the entries' offering,
    // version, SKU, product and the manufacturer's name (provided to the gateway); the page
    // reads no details, and the details this query shows (the offerings' drafts, the versions'
    // terms) cost one statement each, for the whole page
    expect(five.statements).toBe(4);
    // without details, the page is all there is
    const plain = await cost(op('ChannelCatalog'), { channelId: channel, first: 100 });
    expect(plain.statements).toBe(2);
    console.info(
      `catalog statements: first 5 → ${five.statements}, first 100 → ${hundred.statements}`,
    );
    const contract = await cost(op('ChannelCatalog'), { channelId: channel, first: 100 });
    const contractFive = await cost(op('ChannelCatalog'), { channelId: channel, first: 5 });
    expect(contract.statements).toBe(contractFive.statements);
  });

  it('refuses a bad page where `entries` resolves, though the catalog reads its page ahead', async () => {
    for (const vars of [{ first: 1000 }, { first: 5, after: 'bm90LWEtY3Vyc29y' }]) {
      const res = await sg.gql(op('ChannelCatalog'), { channelId: channel, ...vars });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0]?.path).toEqual(['channel', 'catalog', 'entries']);
      // `entries` is non-null: the catalog is null, the channel still answered
      expect(res.data?.channel).toMatchObject({ id: channel, catalog: null });
    }
  });

  it('reads a published page again from memory: no catalog statement on the repeat', async () => {
    const REPEAT =
      graphql(`query CatalogPageRepeat($channelId: ID!, $version: Int!, $first: Int) { channel(id: $channelId) {
      id catalog(version: $version) { version publishedAt entries(first: $first) { totalCount edges { node {
        id channelId skuId catalogVersion seller { id } offeringVersion { id version name } } } } } } }`);
    const [{ version }] = (await sg.db.query<{ version: number }>(
      'SELECT max(version)::int AS version FROM catalog.catalog_version WHERE channel_id = $1',
      [channel],
    )) as [{ version: number }];
    const first = await cost(REPEAT, { channelId: channel, version, first: 20 });
    expect(first.statements).toBeGreaterThan(0);
    expect(first.data.channel?.catalog?.entries.edges).toHaveLength(20);
    const again = await cost(REPEAT, { channelId: channel, version, first: 20 });
    expect(again.statements).toBe(0);
    expect(again.data).toEqual(first.data);
    // another page is another key; a page that reads SKUs and offerings (they change) reads them
    expect(
      (await cost(REPEAT, { channelId: channel, version, first: 21 })).statements,
    ).toBeGreaterThan(0);
    expect((await cost(PAGE, { channelId: channel, first: 20 })).statements).toBeGreaterThan(0);
  });

  it('every channel of an organization with its catalog costs the same for 1 entry or 100', async () => {
    const QUERY =
      graphql(`query OrganizationChannelCatalogs($id: ID!, $first: Int) { organization(id: $id) { channels { id catalog { version
      entries(first: $first) { edges { node { id offering { id } offeringVersion { version } sku { code product { name } } } } } } } } }`);
    const one = await cost(QUERY, { id: ACME, first: 1 });
    const many = await cost(QUERY, { id: ACME, first: 100 });
    expect(many.data.organization?.channels?.length).toBeGreaterThan(3);
    expect(many.statements).toBe(one.statements);
  });

  it('shows the details a page does not read (descriptions, terms, attributes, times) as stored', async () => {
    const DETAILS =
      graphql(`query CatalogPageDetails($channelId: ID!, $first: Int) { channel(id: $channelId) { id catalog {
      entries(first: $first) { edges { node {
        offering { id createdAt updatedAt draft { name description terms updatedAt } }
        offeringVersion { id description terms publishedAt }
        sku { id attributes createdAt product { id description attributes createdAt } } } } } } } }`);
    const { data, statements } = await cost(DETAILS, { channelId: channel, first: 50 });
    const nodes = (data.channel?.catalog?.entries.edges ?? []).map((e) => e.node);
    expect(nodes).toHaveLength(50);
    const byId = async <T extends { id: string }>(rows: Promise<T[]>) =>
      new Map((await rows).map((r) => [r.id, r]));
    const ids = (pick: (n: (typeof nodes)[number]) => string) => ({
      where: { id: { in: nodes.map(pick) } },
    });
    const [offerings, versions, skus, products] = await Promise.all([
      byId(prisma.offering.findMany(ids((n) => n.offering.id))),
      byId(prisma.offeringVersion.findMany(ids((n) => n.offeringVersion.id))),
      byId(prisma.sku.findMany(ids((n) => n.sku.id))),
      byId(prisma.product.findMany(ids((n) => n.sku.product.id))),
    ]);
    for (const n of nodes) {
      const offering = offerings.get(n.offering.id)!;
      expect(n.offering).toEqual({
        id: offering.id,
        createdAt: offering.createdAt.toISOString(),
        updatedAt: offering.updatedAt.toISOString(),
        draft: {
          name: offering.draftName,
          description: offering.draftDescription,
          terms: offering.draftTerms,
          updatedAt: offering.updatedAt.toISOString(),
        },
      });
      const version = versions.get(n.offeringVersion.id)!;
      expect(n.offeringVersion).toEqual({
        id: version.id,
        description: version.description,
        terms: version.terms,
        publishedAt: version.publishedAt.toISOString(),
      });
      const sku = skus.get(n.sku.id)!;
      const product = products.get(n.sku.product.id)!;
      expect(n.sku).toEqual({
        id: sku.id,
        attributes: sku.attributes,
        createdAt: sku.createdAt.toISOString(),
        product: {
          id: product.id,
          description: product.description,
          attributes: product.attributes,
          createdAt: product.createdAt.toISOString(),
        },
      });
    }
    expect(nodes.some((n) => n.offeringVersion.description !== null)).toBe(true);
    // the details of all 50 entries cost what those of 5 do: one statement per kind at most
    const five = await cost(DETAILS, { channelId: channel, first: 5 });
    expect(five.statements).toBe(statements);
    expect(statements).toBeLessThanOrEqual(2 + 4);
  });

  it('reads a page’s entries with exactly the rows Prisma reads for them', async () => {
    const [version] = await sg.db.query<{ id: string }>(
      'SELECT id::text AS id FROM catalog.catalog_version WHERE channel_id = $1 ORDER BY version DESC LIMIT 1',
      [channel],
    );
    await runAsSystem('entry-graph-test', async () => {
      const pages = await readEntryPages(prisma, [
        { catalogVersionId: version!.id, take: 30, afterId: null },
      ]);
      const page = [...pages.values()][0]!;
      expect(page.entries).toHaveLength(31);
      const unique = <T extends { id: string }>(rows: T[]) =>
        [...new Map(rows.map((r) => [r.id, r])).values()].sort((a, b) => a.id.localeCompare(b.id));
      const where = (rows: { id: string }[]) => ({
        where: { id: { in: rows.map((r) => r.id) } },
        orderBy: { id: 'asc' as const },
      });
      // a column missing from the page query, or typed differently, fails here; the rows'
      // details (descriptions, terms, attributes, times) are left out, read when a field shows them
      const without =
        <K extends string>(...details: K[]) =>
        <R extends Record<K, unknown>>(rows: R[]) =>
          rows.map((row) => {
            const listed: Record<string, unknown> = { ...row };
            for (const d of details) delete listed[d];
            return listed;
          });
      expect(unique(page.entries)).toEqual(await prisma.catalogEntry.findMany(where(page.entries)));
      expect(unique(page.offerings)).toEqual(
        without(
          'draftDescription',
          'draftTerms',
          'createdAt',
          'updatedAt',
        )(await prisma.offering.findMany(where(page.offerings))),
      );
      expect(unique(page.offeringVersions)).toEqual(
        without(
          'description',
          'terms',
          'publishedAt',
        )(await prisma.offeringVersion.findMany(where(page.offeringVersions))),
      );
      expect(unique(page.skus)).toEqual(
        without(
          'attributes',
          'createdAt',
          'updatedAt',
        )(await prisma.sku.findMany(where(page.skus))),
      );
      expect(unique(page.products)).toEqual(
        without(
          'description',
          'attributes',
          'createdAt',
          'updatedAt',
        )(await prisma.product.findMany(where(page.products))),
      );
      expect(unique(page.manufacturers)).toEqual(
        await prisma.$queryRawUnsafe(
          'SELECT id::text AS id, name, type, status FROM org_graph.organization_v1 WHERE id = ANY($1::uuid[]) ORDER BY id',
          page.products.map((p) => p.manufacturerId),
        ),
      );
      expect(page.manufacturers.length).toBeGreaterThan(0);
      // the version a page belongs to, as the catalog field reads it, alone and with its page
      const latest = await prisma.catalogVersion.findFirst({
        where: { channelId: channel },
        orderBy: { version: 'desc' },
      });
      expect(latest!.changedOfferingIds.length).toBeGreaterThan(100);
      const at = new Date();
      expect(await catalogLoaders(prisma).catalogOf.load({ channelId: channel, at })).toEqual(
        latest,
      );
      const ahead = catalogLoaders(prisma);
      expect(
        await ahead.catalogWithPage.load({
          channelId: channel,
          at,
          take: 30,
          afterId: null,
          graph: true,
        }),
      ).toEqual(latest);
      // its page is the one `entries` then asks for, held without another statement
      expect(
        await ahead.entryPage.load({
          catalogVersionId: latest!.id,
          channelId: channel,
          version: latest!.version,
          take: 30,
          afterId: null,
          graph: true,
        }),
      ).toEqual(page.entries);
    });
  });

  it('reads organizations and their channels with exactly the rows Prisma reads', async () => {
    const orgGraph = orgGraphPrisma(sg.db);
    await runAsSystem('org-graph-rows-test', async () => {
      const orgs = await orgGraph.organization.findMany({ orderBy: { id: 'asc' } });
      const loaders = orgGraphLoaders(orgGraph);
      const ids = orgs.map((o) => o.id);
      // a column missing from the direct read, or decoded differently, fails here
      expect(await loaders.organization.loadMany(ids)).toEqual(orgs);
      const channelsOf = await loaders.channelsOf.loadMany(ids);
      const prismaChannelsOf = await Promise.all(
        ids.map((orgId) =>
          orgGraph.channel.findMany({
            where: {
              OR: [{ ownerOrgId: orgId }, { members: { some: { orgId, status: 'ACTIVE' } } }],
            },
            orderBy: { id: 'asc' },
          }),
        ),
      );
      expect(channelsOf).toEqual(
        prismaChannelsOf.map((rows, i) => rows.map((c) => ({ ...c, forOrg: ids[i] }))),
      );
      expect(prismaChannelsOf.flat().length).toBeGreaterThan(orgs.length / 2);
      expect(prismaChannelsOf.flat().some((c) => c.ownerOrgId !== ids[0])).toBe(true);
      // read ahead in one statement (Query.organization with channels): the same rows
      const ahead = orgGraphLoaders(orgGraph);
      expect(await ahead.organizationWithChannels.loadMany(ids)).toEqual(orgs);
      expect(await ahead.channelsOf.loadMany(ids)).toEqual(channelsOf);
    });
  });

  it('resolves entities by key in batches (_entities)', async () => {
    const entries = await prisma.catalogEntry.findMany({ where: { channelId: channel }, take: 50 });
    const reps = (n: number) =>
      entries.slice(0, n).flatMap((e) => [
        { __typename: 'CatalogEntry', id: e.id, channelId: e.channelId, skuId: e.skuId },
        { __typename: 'Offering', id: e.offeringId },
        { __typename: 'OfferingVersion', id: e.offeringVersionId },
        { __typename: 'Sku', id: e.skuId },
      ]);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on CatalogEntry { id offering { id } sku { code product { name } } }
      ... on Offering { id latestVersion }
      ... on OfferingVersion { id version }
      ... on Sku { id code } } }`;
    const signed = await signCaller(
      { subject: 'gateway-test', orgId: null, scopes: new Set(['admin']) },
      SIGNING_SECRET,
      'entities-1',
    );
    const post = async (n: number) => {
      const before = await sg.statements('catalog');
      const res = await fetch(sg.subgraphs.catalog!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CALLER_HEADER]: signed },
        body: JSON.stringify({ query, variables: { r: reps(n) } }),
      }).then(
        (r) => r.json() as Promise<{ errors?: unknown[]; data: { _entities: { id?: string }[] } }>,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data._entities).toHaveLength(4 * n);
      expect(res.data._entities.every((e) => e?.id)).toBe(true);
      return (await sg.statements('catalog')) - before;
    };
    expect(await post(50)).toBe(await post(2));
  });
});

describe('metrics and flags', () => {
  // the four publishing mutations, each refused before it writes anything
  const channel = channelOf('ACME-UK');
  const offering = demoOfferingId('acme', 'ACM-01-6KW');
  const publishes = {
    publishToChannel: (options: RequestOptions = {}) =>
      sg.gql(op('PublishToChannel'), { channelId: channel, offeringIds: [UNKNOWN] }, options),
    unlistFromChannel: (options: RequestOptions = {}) =>
      sg.gql(op('UnlistFromChannel'), { channelId: channel, offeringIds: [UNKNOWN] }, options),
    rollbackChannelCatalog: (options: RequestOptions = {}) =>
      sg.gql(op('RollbackChannelCatalog'), { channelId: channel, toVersion: 1 }, options),
    publishOffering: (options: RequestOptions = {}) =>
      sg.gql(op('PublishOffering'), { id: offering }, options),
  };

  it('counts publishes and failures by reason, and reports listings per channel', async () => {
    const publishes = await sg.metrics.registry.getSingleMetricAsString('catalog_publishes_total');
    expect(publishes).toMatch(/catalog_publishes_total\{operation="publishToChannel"\} \d+/);
    expect(publishes).toMatch(/operation="rollbackChannelCatalog"/);
    expect(publishes).toMatch(/operation="publishOffering"/);
    const failures = await sg.metrics.registry.getSingleMetricAsString(
      'catalog_publish_failures_total',
    );
    expect(failures).toMatch(/operation="publishToChannel",reason="SELLER_NOT_ALLOWED"\} [1-9]/);
    expect(failures).toMatch(/reason="NOT_PUBLISHED"/);
    expect(failures).toMatch(/operation="rollbackChannelCatalog",reason="VERSION_NOT_FOUND"/);
    const listings = await sg.metrics.registry.getSingleMetricAsString('catalog_listings');
    expect(listings).toContain('# TYPE catalog_listings gauge');
    expect(listings).toContain(`catalog_listings{channel="${channelOf('BOREALIS-DIRECT-US')}"} 30`);
    expect(listings).toContain(`catalog_listings{channel="${channelOf('ACME-DIRECT-EU')}"} 27`);
  });

  it('counts refused publishes whichever layer refused them: the guards too (flag, scope)', async () => {
    const failures = async (operation: string, reason: string) => {
      const metric = await sg.metrics.registry
        .getSingleMetric('catalog_publish_failures_total')
        ?.get();
      const value = metric?.values.find(
        (v) => v.labels.operation === operation && v.labels.reason === reason,
      );
      return value?.value ?? 0;
    };
    const refusedBy = async (reason: string, options?: RequestOptions) => {
      for (const [operation, publish] of Object.entries(publishes)) {
        const before = await failures(operation, reason);
        expect(codes(await publish(options))).toEqual([reason]);
        expect([operation, await failures(operation, reason)]).toEqual([operation, before + 1]);
      }
    };
    // @feature (the field's guard)
    sg.setFlags({ ...ALL_ON, ENABLE_CATALOG_PUBLISHING: false });
    try {
      await refusedBy('FEATURE_DISABLED');
    } finally {
      sg.setFlags(ALL_ON);
    }
    // @scope (the field's guard): catalog:publish for channels, catalog:write for offerings
    await refusedBy('FORBIDDEN', { token: await as(ACME, 'org:write') });
  });

  it('answers FEATURE_DISABLED with ENABLE_CATALOG_PUBLISHING off, and writes nothing', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_CATALOG_PUBLISHING: false });
    try {
      const before = await written();
      const offerings = await sg.gql(op('Offerings'));
      expect(codes(offerings)).toEqual(['FEATURE_DISABLED']);
      expect(firstErrorExtensions(offerings).flag).toBe('ENABLE_CATALOG_PUBLISHING');
      const catalog = await sg.gql(op('ChannelCatalog'), { channelId: channel });
      expect(codes(catalog)).toContain('FEATURE_DISABLED');
      // the channel itself still answers
      expect(catalog.data.channel).toMatchObject({ id: channel, catalog: null });
      const writes = {
        ...publishes,
        createOffering: () =>
          sg.gql(op('CreateOffering'), { input: { sellerOrgId: ACME, skuId: UNKNOWN, name: 'x' } }),
        updateOfferingDraft: () =>
          sg.gql(op('UpdateOfferingDraft'), { id: offering, input: { name: 'x' } }),
      };
      for (const [name, write] of Object.entries(writes)) {
        expect([name, codes(await write())]).toEqual([name, ['FEATURE_DISABLED']]);
      }
      // products and SKUs stay available: their flag is on
      expect((await sg.gql(op('Skus'), { first: 1 })).errors).toBeUndefined();
      expect(await written()).toBe(before);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });
});
