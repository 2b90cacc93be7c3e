// The database itself enforces least privilege and tenancy, whatever the code above it does:
// the catalog of roles, grants and policies, and what a runtime role can do without a tenancy.

import { randomBytes } from 'node:crypto';
import { createPrisma, emitDueSlaEvents } from '@trellis/agreements';
import { tenancyOf } from '@trellis/kit';
import {
  type Database,
  ensureRoles,
  MIGRATOR_ROLE,
  openDatabase,
  PUBLISHED_VIEW,
  RUNTIME_ROLES,
  runtimeRole,
  SLICE_NAMES,
  SLICES,
  type SliceName,
  systemTenancy,
  withTenancy,
} from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { PrismaClient as WorkforceClient } from '@trellis/prisma/workforce/generated/client.ts';
import { migrateAll } from '@trellis/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, freshDatabase } from '../support/database.js';
import { A, B, callerOf, type RawClient, ROWS, runtimeClients, seedTenants } from './fixtures.js';
import { isPending, PENDING, PUBLIC_TABLES, TENANT_ROWS, TENANT_TABLES } from './tables.js';

let db: Database;
let drop: () => Promise<void>;
let url: string | undefined;
let clients: Record<SliceName, RawClient>;

beforeAll(async () => {
  ({ db, drop, url } = await freshDatabase());
  await migrateAll(db);
  await seedDemo(db);
  await seedTenants(db);
  // the demo's breached SLA ticket gives sla_notice its rows
  const agreements = createPrisma(db);
  await emitDueSlaEvents(agreements);
  await agreements.$disconnect();
  clients = runtimeClients(db);
});
afterAll(async () => {
  await Promise.all(Object.values(clients ?? {}).map((c) => c.$disconnect()));
  await db?.close();
  await drop?.();
});

const SCHEMAS = SLICE_NAMES.map((s) => SLICES[s]);
const schemaSlice = (schema: string) => SLICE_NAMES.find((s) => SLICES[s] === schema)!;
const tenantTables = SLICE_NAMES.flatMap((slice) =>
  (TENANT_TABLES[slice] ?? []).map((table) => ({
    slice,
    schema: SLICES[slice],
    table,
    name: `${SLICES[slice]}.${table}`,
  })),
);

async function count(client: RawClient, table: string, where = 'true'): Promise<number> {
  const [row] = await client.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
  );
  return row!.n;
}

describe(`row-level security on every tenant-owned table (${BACKEND})`, () => {
  it('classifies every table of every slice as tenant-owned, public or pending', async () => {
    const rows = await db.query<{ schema: string; table: string }>(
      `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY ($1) ORDER BY 1, 2`,
      [SCHEMAS],
    );
    const unclassified = rows.filter(({ schema, table }) => {
      const slice = schemaSlice(schema);
      return (
        !isPending(schema, table) &&
        !TENANT_TABLES[slice]?.includes(table) &&
        !PUBLIC_TABLES[slice]?.includes(table)
      );
    });
    expect(unclassified).toEqual([]);
  });

  it.each(
    tenantTables,
  )('$name: enabled, forced, a tenant policy and an admin policy of its own', async ({
    schema,
    table,
  }) => {
    const [rls] = await db.query<{ enabled: boolean; forced: boolean }>(
      `SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class
       WHERE oid = to_regclass($1)`,
      [`${schema}.${table}`],
    );
    expect(rls).toEqual({ enabled: true, forced: true });
    const policies = await db.query<{ name: string; qual: string | null; check: string | null }>(
      `SELECT policyname AS name, qual, with_check AS check FROM pg_policies
       WHERE schemaname = $1 AND tablename = $2`,
      [schema, table],
    );
    // administrators pass through a policy of their own, never by switching RLS off
    expect(policies.some((p) => /app\.is_admin/.test(`${p.qual} ${p.check}`))).toBe(true);
    expect(policies.some((p) => !/app\.is_admin/.test(`${p.qual} ${p.check}`))).toBe(true);
  });

  for (const [what, why] of Object.entries(PENDING)) it.todo(`${what}: ${why}`);
});

describe(`least-privilege roles (${BACKEND})`, () => {
  it('no runtime role is a superuser, bypasses RLS, creates roles or databases, or owns anything', async () => {
    const roles = await db.query<Record<string, unknown>>(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication
       FROM pg_roles WHERE rolname = ANY ($1) ORDER BY rolname`,
      [RUNTIME_ROLES],
    );
    expect(roles).toHaveLength(RUNTIME_ROLES.length);
    for (const role of roles) {
      expect(role).toMatchObject({
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolreplication: false,
      });
    }
    const owned = await db.query<{ owner: string; object: string }>(
      `SELECT pg_get_userbyid(relowner) AS owner, oid::regclass::text AS object FROM pg_class
         WHERE pg_get_userbyid(relowner) = ANY ($1)
       UNION ALL SELECT pg_get_userbyid(nspowner), nspname FROM pg_namespace
         WHERE pg_get_userbyid(nspowner) = ANY ($1)
       UNION ALL SELECT pg_get_userbyid(proowner), oid::regprocedure::text FROM pg_proc
         WHERE pg_get_userbyid(proowner) = ANY ($1)
       UNION ALL SELECT pg_get_userbyid(typowner), oid::regtype::text FROM pg_type
         WHERE pg_get_userbyid(typowner) = ANY ($1)`,
      [RUNTIME_ROLES],
    );
    expect(owned).toEqual([]);
  });

  it('the migrator owns every object of every slice; it is no superuser but bypasses RLS for its helpers', async () => {
    const [migrator] = await db.query<Record<string, unknown>>(
      'SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = $1',
      [MIGRATOR_ROLE],
    );
    expect(migrator).toEqual({ rolsuper: false, rolbypassrls: true, rolcreaterole: false });
    const foreign = await db.query<{ object: string; owner: string }>(
      `SELECT c.oid::regclass::text AS object, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY ($1) AND pg_get_userbyid(c.relowner) <> $2
       UNION ALL SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace
         WHERE nspname = ANY ($1) AND pg_get_userbyid(nspowner) <> $2
       UNION ALL SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner) FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = ANY ($1) AND pg_get_userbyid(p.proowner) <> $2`,
      [SCHEMAS, MIGRATOR_ROLE],
    );
    expect(foreign).toEqual([]);
    // SECURITY DEFINER helpers pin their search_path
    const definers = await db.query<{ fn: string; config: string[] | null }>(
      `SELECT p.oid::regprocedure::text AS fn, p.proconfig AS config FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY ($1) AND p.prosecdef`,
      [SCHEMAS],
    );
    expect(definers.length).toBeGreaterThan(0);
    for (const d of definers) expect(d.config?.join(' ')).toMatch(/search_path=/);
  });

  it('every view a runtime role can read is security_invoker', async () => {
    const views = await db.query<{ role: string; view: string; options: string[] | null }>(
      `SELECT r.rolname AS role, c.oid::regclass::text AS view, c.reloptions AS options
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r
       WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND r.rolname = ANY ($1)
         AND (has_table_privilege(r.oid, c.oid, 'SELECT') OR has_any_column_privilege(r.oid, c.oid, 'SELECT'))`,
      [RUNTIME_ROLES],
    );
    // every runtime role reads the other slices' published views
    const readers = new Set(views.map((v) => v.role));
    for (const role of RUNTIME_ROLES) expect(readers).toContain(role);
    for (const v of views) {
      expect(v.options ?? [], `${v.view} for ${v.role}`).toContainEqual(
        expect.stringMatching(/^security_invoker=(true|on|1)$/),
      );
    }
  });

  it('grants each runtime role DML on its own schema only, INSERT on the outbox, SELECT on published views', async () => {
    const rows = await db.query<{ role: string; object: string; privilege: string }>(
      `SELECT r.rolname AS role, n.nspname || '.' || c.relname AS object, p AS privilege
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r
       CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
       WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY ($1) AND r.rolname = ANY ($2)
         AND has_table_privilege(r.oid, c.oid, p)`,
      [SCHEMAS, RUNTIME_ROLES],
    );
    const tables = await db.query<{ schema: string; name: string; kind: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY ($1)`,
      [SCHEMAS],
    );
    const expected: string[] = [];
    for (const slice of SLICE_NAMES) {
      const role = runtimeRole(slice);
      for (const t of tables) {
        const object = `${t.schema}.${t.name}`;
        const privileges =
          t.schema === SLICES[slice]
            ? t.name === '_prisma_migrations'
              ? ['SELECT']
              : t.name === 'audit_log'
                ? ['SELECT', 'INSERT']
                : ['SELECT', 'INSERT', 'UPDATE', 'DELETE']
            : object === 'agreements.outbox_event'
              ? ['INSERT']
              : t.kind === 'v' && PUBLISHED_VIEW.test(t.name)
                ? ['SELECT']
                : [];
        for (const p of privileges) expected.push(`${role} ${p} ${object}`);
      }
    }
    expect(rows.map((r) => `${r.role} ${r.privilege} ${r.object}`).sort()).toEqual(expected.sort());
    // the published views' base columns, and nothing else of another slice
    const columns = await db.query<{ role: string; object: string }>(
      `SELECT DISTINCT r.rolname AS role, n.nspname || '.' || c.relname AS object FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r
       WHERE n.nspname = ANY ($1) AND c.relkind = 'r' AND r.rolname = ANY ($2)
         AND 'trellis_' || n.nspname <> r.rolname
         AND has_any_column_privilege(r.oid, c.oid, 'SELECT')
         AND NOT has_table_privilege(r.oid, c.oid, 'SELECT') ORDER BY 1, 2`,
      [SCHEMAS, RUNTIME_ROLES],
    );
    for (const role of RUNTIME_ROLES) {
      const published = [
        'catalog.product',
        'catalog.sku',
        'org_graph.channel',
        'org_graph.channel_member',
        'org_graph.org_certification',
        'org_graph.org_relationship',
        'org_graph.organization',
        'service_policy.ticket',
        'service_policy.ticket_status_change',
      ].filter((table) => `trellis_${table.split('.')[0]}` !== role);
      expect(columns.filter((c) => c.role === role).map((c) => c.object)).toEqual(published);
    }
    // another slice's functions: only the published ones (SECURITY DEFINER, checking rights)
    const functions = await db.query<{ role: string; fn: string }>(
      `SELECT r.rolname AS role, p.proname AS fn FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace CROSS JOIN pg_roles r
       WHERE n.nspname = ANY ($1) AND r.rolname = ANY ($2) AND 'trellis_' || n.nspname <> r.rolname
         AND has_function_privilege(r.oid, p.oid, 'EXECUTE') ORDER BY 1, 2`,
      [SCHEMAS, RUNTIME_ROLES],
    );
    expect(functions.map((f) => `${f.role} ${f.fn}`).sort()).toEqual(
      RUNTIME_ROLES.filter((role) => role !== 'trellis_service_policy')
        .map((role) => `${role} mark_assigned_v1`)
        .sort(),
    );
  });

  it('lets runtime roles append audit rows but never change or delete them', async () => {
    for (const slice of ['org-graph', 'service-policy', 'workforce', 'agreements'] as const) {
      const client = clients[slice];
      const table = `${SLICES[slice]}.audit_log`;
      const system = systemTenancy('security-test');
      await withTenancy(system, () =>
        client.$executeRawUnsafe(
          `INSERT INTO ${table} (id, actor, org_id, action, object_type) VALUES (gen_random_uuid(), $1, NULL, 'probe', 'Test')`,
          system.subject,
        ),
      );
      for (const statement of [
        `UPDATE ${table} SET action = 'tampered'`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]) {
        await expect(
          withTenancy(system, () => client.$executeRawUnsafe(statement)),
          `${slice}: ${statement}`,
        ).rejects.toThrow(/permission denied/);
      }
    }
    const [{ n }] = (await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM org_graph.audit_log WHERE action = 'tampered'",
    )) as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe(`immutable history (${BACKEND})`, () => {
  beforeAll(async () => {
    // the demo seed has no service policy history: one policy at version 1
    await db.query(
      `WITH p AS (
         INSERT INTO service_policy.service_policy (id, manufacturer_id, name, chain, updated_at)
         VALUES (gen_random_uuid(), $1::uuid, 'Immutability check', '{DEALER}', now()) RETURNING *)
       INSERT INTO service_policy.service_policy_version
         (policy_id, version, name, priority, enabled, chain, conditions, valid_from)
       SELECT id, 1, name, priority, enabled, chain, conditions, valid_from FROM p`,
      [A],
    );
  });

  // the message reaches the logs through either driver: SQLSTATE 23000 (a driver that maps
  // 23001 reports a foreign-key violation and drops it)
  it.each([
    ['catalog', 'catalog.offering_version', 'offeringVersion'],
    ['agreements', 'agreements.agreement_version', 'agreementVersion'],
    ['service-policy', 'service_policy.service_policy_version', 'servicePolicyVersion'],
  ] as const)('%s: %s refuses UPDATE and DELETE, saying so through the slice’s client', async (slice, table, model) => {
    await withTenancy(systemTenancy('immutability-test'), async () => {
      const client = clients[slice];
      expect(await count(client, table)).toBeGreaterThan(0);
      await expect(
        client.$executeRawUnsafe(`UPDATE ${table} SET version = version`),
      ).rejects.toThrow(/immutable \(UPDATE refused\)/);
      await expect(client.$executeRawUnsafe(`DELETE FROM ${table}`)).rejects.toThrow(
        /immutable \(DELETE refused\)/,
      );
      const models = client as unknown as Record<
        string,
        { deleteMany(args: object): Promise<unknown> }
      >;
      await expect(models[model]!.deleteMany({})).rejects.toThrow(/immutable \(DELETE refused\)/);
    });
  });
});

describe(`fail closed (${BACKEND})`, () => {
  it.each(tenantTables)('$name: a runtime transaction without app.org_id reads no rows', async ({
    slice,
    schema,
    table,
  }) => {
    // the tenant rows, picked out by the owner (physical row ids, so the runtime read below
    // depends on no other table's policies)
    const rows = await db.query<{ row: string }>(
      `SELECT ctid::text AS row FROM ${schema}.${table} WHERE ${TENANT_ROWS[`${schema}.${table}`] ?? 'true'}`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const tenantRows = `ctid = ANY ('{${rows.map((r) => `"${r.row}"`).join(',')}}'::tid[])`;
    expect(
      await withTenancy(undefined, () => count(clients[slice], `${schema}.${table}`, tenantRows)),
    ).toBe(0);
  });

  it('cannot insert without a tenancy, nor for another organization with one', async () => {
    const attempts: [SliceName, string, unknown[]][] = [
      [
        'service-policy',
        `INSERT INTO service_policy.ticket (id, sku_id, region, issue_type, priority, reported_by_org_id, updated_at)
         VALUES (gen_random_uuid(), gen_random_uuid(), 'DE', 'X', 'P1', $1::uuid, now())`,
        [B],
      ],
      [
        'agreements',
        `INSERT INTO agreements.webhook_subscription (id, org_id, url, secret, updated_at)
         VALUES (gen_random_uuid(), $1::uuid, 'https://evil.example', 'whsec_x', now())`,
        [B],
      ],
      [
        'org-graph',
        `INSERT INTO org_graph.idempotency_record (org_id, key, operation, request_hash, response)
         VALUES ($1, 'k-forged', 'x', 'x', '{}')`,
        [B],
      ],
      [
        'org-graph',
        `INSERT INTO org_graph.audit_log (id, actor, org_id, action, object_type)
         VALUES (gen_random_uuid(), 'user-of-B', $1::uuid, 'forged', 'X')`,
        [B],
      ],
    ];
    for (const [slice, sql, params] of attempts) {
      await expect(
        withTenancy(undefined, () => clients[slice].$executeRawUnsafe(sql, ...params)),
        `${slice} without tenancy: ${sql}`,
      ).rejects.toThrow(/row-level security/);
      await expect(
        withTenancy(tenancyOf(callerOf(A), 'r'), () =>
          clients[slice].$executeRawUnsafe(sql, ...params),
        ),
        `${slice} as A: ${sql}`,
      ).rejects.toThrow(/row-level security/);
    }
  });

  it('appends to the outbox only inside a verified request, for whichever organization the change concerns', async () => {
    // a seller publishing into a channel it may sell in, or a channel owner pricing a member,
    // writes an event that belongs to the other organization: the subgraph authorized it
    const sql = `INSERT INTO agreements.outbox_event (id, type, aggregate_type, aggregate_id, org_id, payload)
      VALUES (gen_random_uuid(), 'test.event', 'X', 'x', $1::uuid, '{}')`;
    await expect(
      withTenancy(undefined, () => clients.workforce.$executeRawUnsafe(sql, B)),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withTenancy(tenancyOf(callerOf(A), 'r'), () => clients.workforce.$executeRawUnsafe(sql, B)),
    ).resolves.toBe(1);
  });

  it('moves a ticket to ASSIGNED only for its responsible organization, through the state machine (mark_assigned_v1)', async () => {
    const mark = (orgId: string, ticket: string) =>
      withTenancy(tenancyOf(callerOf(orgId), 'r'), () =>
        clients.workforce.$queryRawUnsafe<{ before: string }[]>(
          'SELECT service_policy.mark_assigned_v1($1::uuid) AS before',
          ticket,
        ),
      );
    const statusOf = async () =>
      (
        await db.query<{ status: string }>(
          'SELECT status::text FROM service_policy.ticket WHERE id = $1',
          [ROWS.ticket.A],
        )
      )[0]!.status;
    // B cannot see A's ticket: as if it did not exist; A reported it but is not responsible
    await expect(mark(B, ROWS.ticket.A)).rejects.toThrow(/not found/);
    await expect(mark(A, ROWS.ticket.A)).rejects.toThrow(/only the organization responsible/);
    expect(await statusOf()).toBe('OPEN');
    const responsible = demoOrgId('frostfix');
    await expect(mark(responsible, ROWS.ticket.A)).resolves.toEqual([{ before: 'OPEN' }]);
    await expect(mark(responsible, ROWS.ticket.A)).resolves.toEqual([{ before: 'ASSIGNED' }]);
    expect(await statusOf()).toBe('ASSIGNED');
    await db.query(`UPDATE service_policy.ticket SET status = 'IN_PROGRESS' WHERE id = $1`, [
      ROWS.ticket.A,
    ]);
    await expect(mark(responsible, ROWS.ticket.A)).rejects.toThrow(
      /IN_PROGRESS ticket cannot move to ASSIGNED/,
    );
    await db.query(`UPDATE service_policy.ticket SET status = 'OPEN' WHERE id = $1`, [
      ROWS.ticket.A,
    ]);
  });

  it('sees only the tenant’s own rows with a tenancy, and everything as an administrator', async () => {
    const asA = tenancyOf(callerOf(A), 'r');
    const ids = await withTenancy(asA, () =>
      clients.agreements.$queryRawUnsafe<{ org_id: string }[]>(
        'SELECT DISTINCT org_id::text FROM agreements.webhook_subscription',
      ),
    );
    expect(ids.map((r) => r.org_id)).toEqual([A]);
    const all = await withTenancy(systemTenancy('security-test'), () =>
      count(clients.agreements, 'agreements.webhook_subscription'),
    );
    expect(all).toBeGreaterThanOrEqual(2);
  });

  it.runIf(BACKEND === 'pglite')(
    'keeps every setting transaction-local: the shared connection is back to the session user, with no tenant',
    async () => {
      await withTenancy(tenancyOf(callerOf(A), 'r'), () =>
        count(clients['service-policy'], 'service_policy.ticket'),
      );
      const [state] = await db.query<Record<string, string>>(
        `SELECT current_user::text AS role, current_setting('app.org_id', true) AS org,
                current_setting('app.is_admin', true) AS admin, current_setting('app.subject', true) AS subject`,
      );
      expect(state).toEqual({ role: 'postgres', org: '', admin: '', subject: '' });
    },
  );

  it.runIf(BACKEND === 'postgres')(
    'logs a slice in as its own role when TRELLIS_<SCHEMA>_PASSWORD is set; it cannot become the migrator',
    async () => {
      const password = randomBytes(18).toString('base64url');
      const role = runtimeRole('workforce');
      await ensureRoles(db, { TRELLIS_WORKFORCE_PASSWORD: password });
      const own = await openDatabase({
        kind: 'postgres',
        url: url!,
        poolSize: 1,
        runtimePasswords: { workforce: password },
      });
      const client = new WorkforceClient({ adapter: own.adapter('workforce') });
      try {
        const [who] = await withTenancy(undefined, () =>
          client.$queryRawUnsafe<{ session: string; current: string }[]>(
            'SELECT session_user::text AS session, current_user::text AS current',
          ),
        );
        expect(who).toEqual({ session: role, current: role });
        await expect(
          withTenancy(undefined, () =>
            client.$executeRawUnsafe(`SET LOCAL ROLE "${MIGRATOR_ROLE}"`),
          ),
        ).rejects.toThrow(/permission denied/);
      } finally {
        await client.$disconnect();
        await own.close();
        await db.query(`ALTER ROLE "${role}" NOLOGIN PASSWORD NULL`);
      }
    },
  );
});
