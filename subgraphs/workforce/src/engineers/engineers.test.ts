// Engineers' reads against a real (in-memory PGlite) database with the slice's migrations.
import { type Caller, createLogger, Flags, Metrics } from '@trellis/kit';
import { executeAsCaller } from '@trellis/kit/testing';
import { type Database, migrateSlice, openDatabase, runAsSystem } from '@trellis/prisma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkforce } from '../index.js';
import { createPrisma, type WorkforcePrisma } from '../prisma.js';

const ACME = '0199a0c2-0000-7000-8000-00000000a001';
const BOLT = '0199a0c2-0000-7000-8000-00000000b001';
const DAY = 86_400_000;

let db: Database;
let prisma: WorkforcePrisma;
let metrics: Metrics;
let service: ReturnType<typeof createWorkforce>;
const logger = createLogger('workforce-test', 'silent');
const flagsOn = Flags.fromSettings({ ENABLE_ENGINEERS: true });
const ids: Record<string, string> = {};

const caller = (...scopes: string[]): Caller => ({
  subject: 'tester',
  orgId: ACME,
  scopes: new Set(scopes),
});

async function run(
  source: string,
  variableValues: Record<string, unknown> = {},
  options: { scopes?: string[]; flags?: Flags } = {},
) {
  const contextValue = service.context({
    caller: caller(...(options.scopes ?? [])),
    requestId: 'test',
    logger,
    flags: options.flags ?? flagsOn,
    metrics,
  });
  const before = await metrics.statementCount('workforce');
  const result = await executeAsCaller(service.schema, contextValue, source, variableValues);
  return { ...result, statements: (await metrics.statementCount('workforce')) - before };
}

beforeAll(async () => {
  db = await openDatabase({ kind: 'pglite' });
  // assignments are visible through service-policy's published ticket view
  await migrateSlice(db, 'service-policy');
  await migrateSlice(db, 'workforce');
  metrics = new Metrics({ defaultMetrics: false });
  db.onStatement((slice) => metrics.dbStatements.inc({ subgraph: slice }));
  service = createWorkforce({ db, flags: flagsOn, metrics, logger });
  prisma = createPrisma(db);
  const now = Date.now();
  // 12 engineers: even ones are current members of ACME, odd ones former members of ACME (so
  // ACME sees them all), every third one a former member of BOLT, #11 a future member of BOLT.
  // Written as the system: row-level security admits no one else outside a request.
  await runAsSystem('test', async () => {
    for (let i = 0; i < 12; i++) {
      const e = await prisma.engineer.create({
        data: {
          displayName: `Engineer ${i}`,
          email: `e${i}@example.com`,
          phone: `+4930000${i}`,
          homeLat: 52.5,
          homeLng: 13.4,
          status: i === 5 ? 'INACTIVE' : 'ACTIVE',
          coverages: {
            create: [{ regions: i % 2 ? ['DE-BE'] : ['DE-BE', 'DE-BB'], radiusKm: 25 }],
          },
          skills: {
            create: [
              { code: 'HVAC', level: 1 + (i % 5), certifiedUntil: new Date(now + 365 * DAY) },
              { code: 'ELEC', level: 3 },
            ],
          },
        },
      });
      ids[i] = e.id;
      const memberships = [];
      if (i % 2 === 0)
        memberships.push({ orgId: ACME, role: 'TECHNICIAN', validFrom: new Date(now - 30 * DAY) });
      else
        memberships.push({
          orgId: ACME,
          role: 'TECHNICIAN',
          validFrom: new Date(now - 400 * DAY),
          validTo: new Date(now - 300 * DAY),
        });
      if (i % 3 === 0) {
        memberships.push({
          orgId: BOLT,
          role: 'LEAD',
          validFrom: new Date(now - 90 * DAY),
          validTo: new Date(now - DAY),
        });
      }
      if (i === 11)
        memberships.push({ orgId: BOLT, role: 'TECHNICIAN', validFrom: new Date(now + DAY) });
      for (const m of memberships)
        await prisma.engineerMembership.create({ data: { engineerId: e.id, ...m } });
    }
  });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.close();
});

const ENGINEERS = /* GraphQL */ `
  query Engineers($first: Int, $after: String, $orgId: ID) {
    engineers(first: $first, after: $after, orgId: $orgId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id displayName email phone status regions skills { code level certifiedUntil } } }
    }
  }
`;

describe('engineers', () => {
  it('is FEATURE_DISABLED without ENABLE_ENGINEERS and touches nothing', async () => {
    const r = await run(ENGINEERS, {}, { flags: Flags.fromSettings({}) });
    expect(r.errors?.[0]?.extensions?.code).toBe('FEATURE_DISABLED');
    expect(r.statements).toBe(0);
    const one = await run(
      'query($id: ID!) { engineer(id: $id) { id } }',
      { id: ids[0] },
      { flags: Flags.fromSettings({}) },
    );
    expect(one.errors?.[0]?.extensions?.code).toBe('FEATURE_DISABLED');
  });

  it('pages through every engineer in creation order', async () => {
    const first = await run(ENGINEERS, { first: 5 });
    expect(first.errors).toBeUndefined();
    const c1 = first.data?.engineers as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: { node: { id: string } }[];
    };
    expect(c1.totalCount).toBe(12);
    expect(c1.pageInfo.hasNextPage).toBe(true);
    expect(c1.edges.map((e) => e.node.id)).toEqual([0, 1, 2, 3, 4].map((i) => ids[i]));
    const rest = await run(ENGINEERS, { first: 100, after: c1.pageInfo.endCursor });
    const c2 = rest.data?.engineers as typeof c1;
    expect(c2.edges.map((e) => e.node.id)).toEqual([5, 6, 7, 8, 9, 10, 11].map((i) => ids[i]));
    expect(c2.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by a membership in force now', async () => {
    const acme = await run(ENGINEERS, { orgId: ACME });
    const conn = acme.data?.engineers as { totalCount: number; edges: { node: { id: string } }[] };
    expect(conn.totalCount).toBe(6);
    expect(conn.edges.map((e) => e.node.id)).toEqual([0, 2, 4, 6, 8, 10].map((i) => ids[i]));
    // BOLT only has former and future members
    const bolt = await run(ENGINEERS, { orgId: BOLT });
    expect(bolt.data?.engineers).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('costs the same number of statements whatever the page size', async () => {
    const small = await run(ENGINEERS, { first: 2 });
    const large = await run(ENGINEERS, { first: 12 });
    const filtered = await run(ENGINEERS, { first: 12, orgId: ACME });
    expect(small.errors).toBeUndefined();
    // page + count + coverage (regions) + skills; + memberships when asked for
    expect(large.statements).toBe(small.statements);
    expect(filtered.statements).toBe(small.statements);
    expect(large.statements).toBe(4);
    const withMemberships = await run(
      '{ engineers(first: 12) { edges { node { id skills { code } memberships { org { id } role validFrom validTo } } } } }',
    );
    expect(withMemberships.statements).toBe(4);
  });

  it('masks email and phone without pii:read', async () => {
    const masked = await run(ENGINEERS, { first: 1 });
    expect(masked.data?.engineers).toMatchObject({
      edges: [
        {
          node: {
            displayName: 'Engineer 0',
            email: null,
            phone: null,
            regions: ['DE-BE', 'DE-BB'],
          },
        },
      ],
    });
    const open = await run(ENGINEERS, { first: 1 }, { scopes: ['pii:read'] });
    expect(open.data?.engineers).toMatchObject({
      edges: [{ node: { email: 'e0@example.com', phone: '+49300000' } }],
    });
    const location = '{ engineer(id: "ID") { homeLocation { lat lng } radiusKm } }'.replace(
      'ID',
      ids[0]!,
    );
    expect((await run(location)).data?.engineer).toEqual({ homeLocation: null, radiusKm: 25 });
    expect((await run(location, {}, { scopes: ['admin'] })).data?.engineer).toEqual({
      homeLocation: { lat: 52.5, lng: 13.4 },
      radiusKm: 25,
    });
  });

  it('reveals PII to pii:read only for current members of the caller’s organization, batched', async () => {
    const r = await run(ENGINEERS, { first: 12 }, { scopes: ['pii:read'] });
    expect(r.errors).toBeUndefined();
    const nodes = (r.data?.engineers as { edges: { node: { email: string | null } }[] }).edges;
    // ACME's current members (even ones) only: not BOLT's former (0, 3, 6, 9) or future (11)
    expect(nodes.map((e) => e.node.email)).toEqual(
      [...Array(12).keys()].map((i) => (i % 2 === 0 ? `e${i}@example.com` : null)),
    );
    // page + count + coverage + skills + every engineer's memberships at once
    expect(r.statements).toBe(5);
    const admin = await run(ENGINEERS, { first: 12 }, { scopes: ['admin'] });
    const all = (admin.data?.engineers as { edges: { node: { email: string | null } }[] }).edges;
    expect(all.every((e) => e.node.email !== null)).toBe(true);
    expect(admin.statements).toBe(4);
  });

  it('answers skills and memberships', async () => {
    const r = await run(
      'query($id: ID!) { engineer(id: $id) { status skills { code level certifiedUntil } memberships { org { id } role validFrom validTo } } }',
      { id: ids[0] },
    );
    expect(r.errors).toBeUndefined();
    const e = r.data?.engineer as {
      status: string;
      skills: { code: string; level: number; certifiedUntil: string | null }[];
      memberships: {
        org: { id: string };
        role: string;
        validFrom: string;
        validTo: string | null;
      }[];
    };
    expect(e.status).toBe('ACTIVE');
    expect(e.skills.map((s) => [s.code, s.level])).toEqual([
      ['ELEC', 3],
      ['HVAC', 1],
    ]);
    expect(e.skills[0]?.certifiedUntil).toBeNull();
    expect(e.skills[1]?.certifiedUntil).toMatch(/Z$/);
    // an organization sees its own memberships only (not who else employs its people)
    expect(e.memberships.map((m) => [m.org.id, m.role, m.validTo === null])).toEqual([
      [ACME, 'TECHNICIAN', true],
    ]);
    const admin = await run(
      'query($id: ID!) { engineer(id: $id) { memberships { org { id } role } } }',
      { id: ids[0] },
      { scopes: ['admin'] },
    );
    expect(admin.data?.engineer).toEqual({
      memberships: [
        { org: { id: BOLT }, role: 'LEAD' },
        { org: { id: ACME }, role: 'TECHNICIAN' },
      ],
    });
  });

  it('answers null for an unknown or malformed id', async () => {
    const unknown = await run('{ engineer(id: "0199a0c2-0000-7000-8000-0000000000ff") { id } }');
    expect(unknown.data?.engineer).toBeNull();
    const malformed = await run('{ engineer(id: "nope") { id } }');
    expect(malformed.errors).toBeUndefined();
    expect(malformed.data?.engineer).toBeNull();
  });

  it('refuses a malformed orgId or page size as BAD_USER_INPUT', async () => {
    const org = await run(ENGINEERS, { orgId: 'acme' });
    expect(org.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orgId' });
    const first = await run(ENGINEERS, { first: 101 });
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('resolves entity references in one batch', async () => {
    const representations = [1, 3, 5, 7].map((i) => ({ __typename: 'Engineer', id: ids[i] }));
    const r = await run(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Engineer { id displayName email skills { code } } } }',
      {
        r: [
          ...representations,
          { __typename: 'Engineer', id: '0199a0c2-0000-7000-8000-0000000000ff' },
        ],
      },
    );
    expect(r.errors).toBeUndefined();
    const entities = r.data?._entities as ({ id: string; email: string | null } | null)[];
    expect(entities.slice(0, 4).map((e) => e?.id)).toEqual([1, 3, 5, 7].map((i) => ids[i]));
    expect(entities[0]?.email).toBeNull();
    expect(entities[4]).toBeNull();
    expect(r.statements).toBe(2); // engineers + skills
  });
});

describe('the migration', () => {
  it('refuses skill levels outside 1-5, a second open skill row and half-recorded overrides', async () => {
    const skill = (code: string, level: number) =>
      runAsSystem('test', () =>
        prisma.engineerSkill.create({ data: { engineerId: ids[1]!, code, level } }),
      );
    await expect(skill('GAS', 6)).rejects.toThrow(/check/i);
    await expect(skill('GAS', 0)).rejects.toThrow(/check/i);
    // as the system, so only the CHECK can refuse (row-level security would refuse anyone else)
    const assign = (overrideReason?: string) =>
      runAsSystem('test', () =>
        prisma.engineerAssignment.create({
          data: {
            engineerId: ids[1]!,
            ticketId: ACME,
            orgId: ACME,
            override: true,
            overrideReason,
            assignedBy: 'tester',
          },
        }),
      );
    await expect(assign()).rejects.toThrow();
    await expect(assign('the customer asked for this engineer')).resolves.toMatchObject({
      orgId: ACME,
    });
    // one skill row in force per code (closed rows are history)
    await expect(skill('HVAC', 2)).rejects.toThrow(/unique/i);
  });
});
