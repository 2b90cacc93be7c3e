// Legacy coexistence (issue 14, docs/coexistence.md): ownership and validation of legacy writes,
// dual-write, the read switch (tenant-scoped) and shadow reads, the backfill (resumable,
// idempotent) and parity, through the gateway and the CLI.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backfillLegacy, createPrisma, legacyOrgTypes, legacyParity } from '@trellis/org-graph';
import { type Database, openDatabase } from '@trellis/prisma';
import { demoOrgId, seedDemo } from '@trellis/prisma/seed';
import { migrateAll } from '@trellis/runner';
import { afterAll, describe, expect, it } from 'vitest';
import { op } from './support/contract.js';
import { freshDatabase } from './support/database.js';
import {
  ALL_ON,
  BACKEND,
  codes,
  firstErrorExtensions,
  supergraphForFile,
  token,
} from './support/supergraph.js';

const sg = supergraphForFile();

const ACME = demoOrgId('acme');
const KOELN = demoOrgId('koeln-klima');
const OPTIONS = { batchSize: 100, throttleMs: 0, dryRun: false, orgTypes: legacyOrgTypes() };

async function count(from: string, params: unknown[] = []): Promise<number> {
  const [row] = await sg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`, params);
  return row!.n;
}

/** Every table a legacy write touches, counted (a refused write changes none). */
const footprint = async () => ({
  manufacturers: await count('org_graph.manufacturers'),
  suppliers: await count('org_graph.suppliers'),
  organizations: await count('org_graph.organization'),
  profiles: await count('org_graph.manufacturer_profile'),
  maps: await count('org_graph.manufacturer_organization_map'),
  events: await count('agreements.outbox_event'),
});

describe('ownership and validation of legacy writes', () => {
  it("refuses another organization's legacy write (FORBIDDEN, audited) and writes nothing", async () => {
    const before = await footprint();
    const koeln = await token({ org: KOELN, scope: 'org:write' });
    // legacy manufacturer 1 is Acme's (the demo seed maps it)
    const hostile = await sg.gql(
      op('UpdateManufacturer'),
      { id: '1', input: { website: 'https://evil.example' } },
      { token: koeln },
    );
    expect(codes(hostile)).toEqual(['FORBIDDEN']);
    // an unmapped row belongs to no organization: only legacy:write or admin
    const unmapped = await sg.gql(
      op('UpdateSupplier'),
      { id: '2', input: { name: 'Mine now' } },
      { token: koeln },
    );
    expect(codes(unmapped)).toEqual(['FORBIDDEN']);
    const create = await sg.gql(
      op('CreateManufacturer'),
      { input: { name: 'X' } },
      { token: koeln },
    );
    expect(codes(create)).toEqual(['FORBIDDEN']);
    expect(await footprint()).toEqual(before);
    const [row] = await sg.db.query<{ website: string }>(
      'SELECT website FROM org_graph.manufacturers WHERE id = 1',
    );
    expect(row!.website).toBe('https://acme-climate.example');
    const denied = await count(
      "org_graph.audit_log WHERE result = 'DENIED' AND org_id = $1::uuid AND action LIKE '%.updateManufacturer'",
      [KOELN],
    );
    expect(denied).toBeGreaterThanOrEqual(1);
  });

  it('lets the owning organization (org:write), an integration (legacy:write) and admin write', async () => {
    const acme = await token({ org: ACME, scope: 'org:write' });
    const own = await sg.gql(
      op('UpdateManufacturer'),
      { id: '1', input: { website: 'https://acme.example' } },
      { token: acme },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data.updateManufacturer).toEqual({
      id: '1',
      name: 'Acme Climate Systems',
      country: 'DE',
      website: 'https://acme.example',
    });
    const integration = await token({ sub: 'erp-sync', scope: 'legacy:write' });
    const renamed = await sg.gql(
      op('UpdateSupplier'),
      { id: '1', input: { name: 'Nordic HVAC Distribution' } },
      { token: integration },
    );
    expect(renamed.errors).toBeUndefined();
    const readOnly = await token({ sub: 'reader', scope: '' });
    const refused = await sg.gql(
      op('UpdateSupplier'),
      { id: '1', input: { name: 'Y' } },
      { token: readOnly },
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
  });

  it('refuses a javascript: website and a country outside ISO 3166-1 (BAD_USER_INPUT, nothing written)', async () => {
    const before = await footprint();
    for (const website of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://files.example',
      'not a url',
    ]) {
      const res = await sg.gql(op('CreateManufacturer'), { input: { name: 'Bad', website } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(firstErrorExtensions(res).field).toBe('input.website');
    }
    const update = await sg.gql(op('UpdateManufacturer'), {
      id: '1',
      input: { website: 'javascript:alert(1)' },
    });
    expect(firstErrorExtensions(update)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.website',
    });
    for (const country of ['XX', 'de', 'DEU', 'EU']) {
      const res = await sg.gql(op('CreateSupplier'), { input: { name: 'Bad', country } });
      expect(firstErrorExtensions(res)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.country',
      });
    }
    expect(await footprint()).toEqual(before);
  });
});

describe('dual-write', () => {
  it('mirrors a legacy create into an organization, profile and crosswalk row, audited and evented', async () => {
    const res = await sg.gql(op('CreateManufacturer'), {
      input: { name: 'Helix Heat', country: 'NL', website: 'https://helix.example' },
    });
    expect(res.errors).toBeUndefined();
    const id = Number(res.data.createManufacturer.id);
    const [mirror] = await sg.db.query<Record<string, unknown>>(
      `SELECT o.id, o.name, o.type::text AS type, p.country, p.website, m.source::text AS source
         FROM org_graph.manufacturer_organization_map m
         JOIN org_graph.organization o ON o.id = m.org_id
         JOIN org_graph.manufacturer_profile p ON p.org_id = o.id
        WHERE m.manufacturer_id = $1`,
      [id],
    );
    expect(mirror).toMatchObject({
      name: 'Helix Heat',
      type: 'MANUFACTURER',
      country: 'NL',
      website: 'https://helix.example',
      source: 'DUAL_WRITE',
    });
    // the legacy row, its mirror, the audit rows and the event share one request id: one transaction
    const audits = await sg.db.query<{ action: string; request_id: string }>(
      `SELECT action, request_id FROM org_graph.audit_log
        WHERE (object_type = 'Manufacturer' AND object_id = $1) OR object_id = $2 ORDER BY action`,
      [String(id), mirror!.id],
    );
    expect(audits.map((a) => a.action)).toEqual(['manufacturer.create', 'organization.create']);
    expect(new Set(audits.map((a) => a.request_id)).size).toBe(1);
    const [event] = await sg.db.query<{ type: string; request_id: string }>(
      'SELECT type, request_id FROM agreements.outbox_event WHERE aggregate_id = $1',
      [mirror!.id],
    );
    expect(event).toEqual({ type: 'organization.created', request_id: audits[0]!.request_id });

    const updated = await sg.gql(op('UpdateManufacturer'), {
      id: String(id),
      input: { name: 'Helix Heat BV', website: null },
    });
    expect(updated.errors).toBeUndefined();
    const [after] = await sg.db.query<Record<string, unknown>>(
      `SELECT o.name, p.website FROM org_graph.organization o
         JOIN org_graph.manufacturer_profile p ON p.org_id = o.id WHERE o.id = $1`,
      [mirror!.id],
    );
    expect(after).toEqual({ name: 'Helix Heat BV', website: null });
    const metric = await sg.metrics.registry.getSingleMetricAsString('legacy_dual_write_total');
    expect(metric).toMatch(/legacy_dual_write_total\{outcome="ok"\} [2-9]/);
  });

  it('fails the whole write when the mirror fails: neither row, counted', async () => {
    await sg.db.query(
      "ALTER TABLE org_graph.organization ADD CONSTRAINT legacy_test_mirror_fails CHECK (name <> 'Mirror Breaks')",
    );
    try {
      const before = await footprint();
      const res = await sg.gql(op('CreateManufacturer'), { input: { name: 'Mirror Breaks' } });
      expect(res.errors).toHaveLength(1);
      expect(res.data).toBeNull();
      expect(await footprint()).toEqual(before);
      expect(await count("org_graph.manufacturers WHERE name = 'Mirror Breaks'")).toBe(0);
      const metric = await sg.metrics.registry.getSingleMetricAsString('legacy_dual_write_total');
      expect(metric).toContain('legacy_dual_write_total{outcome="failed"} 1');
    } finally {
      await sg.db.query(
        'ALTER TABLE org_graph.organization DROP CONSTRAINT legacy_test_mirror_fails',
      );
    }
  });

  it('writes the legacy table only with ENABLE_DUAL_WRITE off', async () => {
    sg.setFlags({ ...ALL_ON, ENABLE_DUAL_WRITE: false });
    try {
      const before = await footprint();
      const res = await sg.gql(op('CreateSupplier'), {
        input: { name: 'Solo Parts', country: 'PL' },
      });
      expect(res.data.createSupplier).toMatchObject({ name: 'Solo Parts', country: 'PL' });
      expect(await footprint()).toEqual({ ...before, suppliers: before.suppliers + 1 });
      expect(
        await count('org_graph.supplier_organization_map WHERE supplier_id = $1', [
          Number(res.data.createSupplier.id),
        ]),
      ).toBe(0);
    } finally {
      sg.setFlags(ALL_ON);
    }
  });
});

describe('read switch, backfill and parity', () => {
  const readBoth = async (tokenFor?: string) => {
    const opts = tokenFor ? { token: tokenFor } : {};
    const m = await sg.gql(op('Manufacturers'), {}, opts);
    const s = await sg.gql(op('Suppliers'), {}, opts);
    expect(m.errors ?? s.errors).toBeUndefined();
    return JSON.stringify({ m: m.data, s: s.data });
  };

  it('answers the same JSON with ENABLE_READ_FROM_ORG_GRAPH off and on for 1 000 legacy rows with edits, after dual-write and backfill', async () => {
    // 1 000 legacy rows written behind the API with dual-write off (history), some without country
    await sg.db.query(
      `INSERT INTO org_graph.manufacturers (name, country, website)
       SELECT 'Legacy maker ' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE (ARRAY['DE','US','FR','SE'])[1 + g % 4] END,
              CASE WHEN g % 5 = 0 THEN NULL ELSE 'https://maker' || g || '.example' END
         FROM generate_series(1, 600) g`,
    );
    await sg.db.query(
      `INSERT INTO org_graph.suppliers (name, country)
       SELECT 'Legacy supplier ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'PL' END FROM generate_series(1, 400) g`,
    );
    // edits through the API with dual-write on, before the backfill (they map their rows)
    for (const id of [10, 20, 30]) {
      const res = await sg.gql(op('UpdateManufacturer'), {
        id: String(id),
        input: { name: `Edited maker ${id}`, country: 'AT' },
      });
      expect(res.errors).toBeUndefined();
    }
    const off = { ...ALL_ON, ENABLE_READ_FROM_ORG_GRAPH: false };
    sg.setFlags(off);
    const legacyAnswer = await readBoth();

    const parityBefore = await legacyParity(createPrisma(sg.db));
    expect(parityBefore.mismatches.every((m) => m.kind === 'missing')).toBe(true);
    expect(parityBefore.mismatches.length).toBeGreaterThan(900);

    const summary = await backfillLegacy(createPrisma(sg.db), OPTIONS);
    expect(summary.copied).toBe(parityBefore.mismatches.length);
    expect((await legacyParity(createPrisma(sg.db))).mismatches).toEqual([]);
    // edits after the backfill, through the API (dual-write keeps the mirror in step)
    for (const id of [40, 50]) {
      await sg.gql(op('UpdateManufacturer'), { id: String(id), input: { website: null } });
      await sg.gql(op('UpdateSupplier'), {
        id: String(id),
        input: { name: `Edited supplier ${id}` },
      });
    }
    const edited = await readBoth();
    expect(edited).not.toBe(legacyAnswer);
    // every legacy row is mapped: the switched answer comes from the org graph alone
    expect(await count('org_graph.manufacturers')).toBe(
      await count('org_graph.manufacturer_organization_map'),
    );
    expect(await count('org_graph.suppliers')).toBe(
      await count('org_graph.supplier_organization_map'),
    );

    sg.setFlags(ALL_ON);
    expect(await readBoth()).toBe(edited);
    expect(JSON.parse(edited).m.manufacturers.length).toBeGreaterThan(600);
    sg.setFlags(off);
    expect(await readBoth()).toBe(edited);
    sg.setFlags(ALL_ON);
  });

  it('switches reads per tenant, and shadow reads count a difference while reads stay legacy', async () => {
    // a difference injected behind the API: the org graph now disagrees with legacy row 40
    await sg.db.query(
      `UPDATE org_graph.manufacturer_profile SET website = 'https://injected.example'
        WHERE org_id = (SELECT org_id FROM org_graph.manufacturer_organization_map WHERE manufacturer_id = 40)`,
    );
    sg.setFlags({
      ...ALL_ON,
      ENABLE_READ_FROM_ORG_GRAPH: { enabled: false, tenants: { [ACME]: true } },
    });
    process.env.LEGACY_SHADOW_READ_SHARE = '1';
    try {
      const websiteOf40 = async (t: string) => {
        const res = await sg.gql(op('Manufacturers'), {}, { token: t });
        return res.data.manufacturers.find((m) => m.id === '40')?.website;
      };
      expect(await websiteOf40(await token({ org: ACME }))).toBe('https://injected.example');
      expect(await websiteOf40(await token({ org: KOELN }))).toBeNull();
      const metric = await sg.metrics.registry.getSingleMetricAsString(
        'legacy_parity_mismatches_total',
      );
      expect(metric).toMatch(/legacy_parity_mismatches_total\{kind="field"\} [1-9]/);
      expect(sg.logs()).toContain('legacy shadow read: the org graph answers differently');
    } finally {
      delete process.env.LEGACY_SHADOW_READ_SHARE;
      sg.setFlags(ALL_ON);
    }
    const report = await legacyParity(createPrisma(sg.db));
    expect(report.mismatches).toEqual([
      {
        kind: 'field',
        legacyKind: 'manufacturer',
        id: 40,
        field: 'website',
        legacy: null,
        mirrored: 'https://injected.example',
      },
    ]);
  });
});

describe('backfill resumes after a crash', () => {
  it('continues from its checkpoint: completes, parity clean, no duplicate organizations, crosswalk unique', async () => {
    await sg.db.query(
      `INSERT INTO org_graph.suppliers (name, country)
       SELECT 'Crash supplier ' || g, 'SE' FROM generate_series(1, 450) g`,
    );
    const pending = await count(
      'org_graph.suppliers s WHERE NOT EXISTS (SELECT 1 FROM org_graph.supplier_organization_map m WHERE m.supplier_id = s.id)',
    );
    expect(pending).toBe(450);
    const orgsBefore = await count('org_graph.organization');
    const crash = new Error('killed');
    await expect(
      backfillLegacy(createPrisma(sg.db), { ...OPTIONS, kinds: ['supplier'] }, (p) => {
        if (p.batches === 2) throw crash;
      }),
    ).rejects.toBe(crash);
    const [checkpoint] = await sg.db.query<{ copied: number; finished: boolean }>(
      "SELECT copied, finished_at IS NOT NULL AS finished FROM org_graph.legacy_backfill_checkpoint WHERE kind = 'supplier'",
    );
    expect(checkpoint).toEqual({ copied: 200, finished: false });
    const dry = await backfillLegacy(createPrisma(sg.db), { ...OPTIONS, dryRun: true });
    expect(dry.kinds.supplier).toMatchObject({ pending: 250, copied: 0 });
    const resumed = await backfillLegacy(createPrisma(sg.db), { ...OPTIONS, kinds: ['supplier'] });
    expect(resumed.kinds.supplier).toMatchObject({ pending: 250, copied: 250 });
    expect(resumed.kinds.supplier!.resumedAfter).toBeGreaterThan(0);
    expect(await count('org_graph.organization')).toBe(orgsBefore + 450);
    expect((await legacyParity(createPrisma(sg.db), ['supplier'])).mismatches).toEqual([]);
    // idempotent: a further run finds nothing to copy
    const again = await backfillLegacy(createPrisma(sg.db), OPTIONS);
    expect(again.copied).toBe(0);
    expect(await count('org_graph.organization')).toBe(orgsBefore + 450);
  });
});

// The CLI on a database of its own (a PGlite data directory belongs to one process).
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'gateway/runner/src/legacy.ts');
// node itself with tsx's loader: the `tsx` binary runs the script in a child process, which a
// SIGKILL of the binary would leave running
const NODE = [process.execPath, '--import', 'tsx', CLI] as const;

interface CliDatabase {
  env: Record<string, string>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

async function cliDatabase(): Promise<CliDatabase> {
  if (BACKEND === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'trellis-legacy-'));
    return {
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ kind: 'pglite', dataDir }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const fresh = await freshDatabase();
  await fresh.db.close();
  return {
    env: { DATABASE_URL: fresh.url! },
    open: () => openDatabase({ kind: 'postgres', url: fresh.url!, poolSize: 2 }),
    drop: fresh.drop,
  };
}

function runCli(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      NODE[0],
      [...NODE.slice(1), ...args],
      { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, cwd: REPO },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the CLI', () => {
  let cli: CliDatabase;
  afterAll(() => cli?.drop());

  it('reports parity by kind with a non-zero exit, backfills (dry run first), then parity is clean; an injected difference fails it again', async () => {
    cli = await cliDatabase();
    const db = await cli.open();
    await migrateAll(db);
    await seedDemo(db);
    await db.close();

    const before = await runCli(cli.env, 'parity');
    expect(before.code).toBe(1);
    expect(lines(before.stdout).at(-1)).toMatchObject({
      event: 'summary',
      mismatches: { missing: 2 },
    });

    const dry = await runCli(cli.env, 'backfill', '--dry-run');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout).at(-1)).toMatchObject({ event: 'summary', dryRun: true, copied: 0 });

    const run = await runCli(cli.env, 'backfill', '--batch-size', '1');
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.filter((l) => l.event === 'progress')).toHaveLength(2);
    expect(out.at(-1)).toMatchObject({ event: 'summary', copied: 2 });
    const clean = await runCli(cli.env, 'parity');
    expect(clean.code).toBe(0);

    const edit = await cli.open();
    await edit.query("UPDATE org_graph.suppliers SET name = 'Edited behind the API' WHERE id = 2");
    await edit.close();
    const dirty = await runCli(cli.env, 'parity');
    expect(dirty.code).toBe(1);
    expect(lines(dirty.stdout)).toContainEqual(
      expect.objectContaining({
        event: 'mismatch',
        kind: 'field',
        legacyKind: 'supplier',
        id: 2,
        field: 'name',
      }),
    );
  }, 240_000);

  it.runIf(BACKEND === 'postgres')(
    'killed (SIGKILL) after its first batches and run again: completes, parity clean, no duplicates',
    async () => {
      const own = await cliDatabase();
      try {
        const db = await own.open();
        await migrateAll(db);
        await db.query(
          `INSERT INTO org_graph.manufacturers (name, country, website)
           SELECT 'Kill maker ' || g, 'DE', 'https://kill' || g || '.example' FROM generate_series(1, 20000) g`,
        );
        await db.close();
        const child = spawn(
          NODE[0],
          [...NODE.slice(1), 'backfill', '--batch-size', '500', '--throttle-ms', '50'],
          {
            env: { ...process.env, ...own.env, LOG_LEVEL: 'silent' },
            cwd: REPO,
          },
        );
        let progress = 0;
        await new Promise<void>((resolve) => {
          child.stdout.on('data', (chunk: Buffer) => {
            progress += chunk.toString().split('"event":"progress"').length - 1;
            if (progress >= 3 && !child.killed) child.kill('SIGKILL');
          });
          child.on('exit', () => resolve());
        });
        expect(progress).toBeGreaterThanOrEqual(3);
        const check = await own.open();
        const [partial] = await check.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM org_graph.manufacturer_organization_map',
        );
        expect(partial!.n).toBeGreaterThan(0);
        expect(partial!.n).toBeLessThan(20000);
        const rerun = await runCli(own.env, 'backfill', '--batch-size', '2000');
        expect(rerun.code).toBe(0);
        expect(lines(rerun.stdout).at(-1)).toMatchObject({
          event: 'summary',
          kinds: { manufacturer: { copied: 20000 - partial!.n } },
        });
        expect((await runCli(own.env, 'parity')).code).toBe(0);
        const [counts] = await check.query<{ orgs: number; maps: number; distinct_orgs: number }>(
          `SELECT (SELECT count(*)::int FROM org_graph.organization) AS orgs,
                  (SELECT count(*)::int FROM org_graph.manufacturer_organization_map) AS maps,
                  (SELECT count(DISTINCT org_id)::int FROM org_graph.manufacturer_organization_map) AS distinct_orgs`,
        );
        expect(counts).toEqual({ orgs: 20000, maps: 20000, distinct_orgs: 20000 });
        await check.close();
      } finally {
        await own.drop();
      }
    },
    240_000,
  );
});
