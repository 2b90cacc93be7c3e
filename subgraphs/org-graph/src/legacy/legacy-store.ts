import type { Manufacturer, Prisma, Supplier } from '@trellis/prisma/org-graph/generated/client.ts';
import { v7 as uuidv7 } from 'uuid';
import type { OrgGraphTx } from '../prisma.js';
import type { LegacyKind, LegacyRow, MirroredOrgType } from './rules.js';

export type ManufacturerRow = LegacyRow & { website: string | null };
export type SupplierRow = LegacyRow;

/** What a statement needs: a client or a transaction (raw SQL only). */
type Sql = Pick<OrgGraphTx, '$queryRawUnsafe' | '$executeRawUnsafe'>;

/**
 * Where each legacy kind lives: its legacy table, its organization profile and its crosswalk.
 * Constant identifiers only (never input), so the SQL below can name them.
 */
export interface LegacyTables {
  kind: LegacyKind;
  /** the GraphQL type (audit object type) */
  type: 'Manufacturer' | 'Supplier';
  legacy: string;
  profile: string;
  map: string;
  mapId: string;
  /** the legacy-only columns, kept in the profile under the same names */
  fields: readonly ('country' | 'website')[];
}

export const MANUFACTURERS: LegacyTables = {
  kind: 'manufacturer',
  type: 'Manufacturer',
  legacy: 'org_graph.manufacturers',
  profile: 'org_graph.manufacturer_profile',
  map: 'org_graph.manufacturer_organization_map',
  mapId: 'manufacturer_id',
  fields: ['country', 'website'],
};

export const SUPPLIERS: LegacyTables = {
  kind: 'supplier',
  type: 'Supplier',
  legacy: 'org_graph.suppliers',
  profile: 'org_graph.supplier_profile',
  map: 'org_graph.supplier_organization_map',
  mapId: 'supplier_id',
  fields: ['country'],
};

export const LEGACY_TABLES = { manufacturer: MANUFACTURERS, supplier: SUPPLIERS } as const;

const columns = (t: LegacyTables, alias: string) =>
  t.fields.map((f) => `${alias}."${f}"`).join(', ');

/** The legacy answer from the legacy table, by id (flag off). */
export const legacyRows = <Row extends LegacyRow>(db: Sql, t: LegacyTables) =>
  db.$queryRawUnsafe<Row[]>(
    `SELECT l.id, l.name, ${columns(t, 'l')} FROM ${t.legacy} l ORDER BY l.id`,
  );

const MIRRORED = (t: LegacyTables) =>
  `SELECT m.${t.mapId} AS id, o.name, ${columns(t, 'p')}
     FROM ${t.map} m JOIN org_graph.organization o ON o.id = m.org_id
     LEFT JOIN ${t.profile} p ON p.org_id = m.org_id`;

/** What the org graph holds for the legacy rows: mapped organizations with their profiles. */
export const mirroredRows = <Row extends LegacyRow>(db: Sql, t: LegacyTables) =>
  db.$queryRawUnsafe<Row[]>(`${MIRRORED(t)} ORDER BY m.${t.mapId}`);

/**
 * The legacy answer with ENABLE_READ_FROM_ORG_GRAPH: every mapped row from its organization
 * and profile, under its legacy id and in the legacy order. A row the crosswalk does not name
 * yet (written with dual-write off, not backfilled) still answers from the legacy table, so
 * the switch never hides a row; parity and shadow reads report it as `missing`.
 */
export const switchedRows = <Row extends LegacyRow>(db: Sql, t: LegacyTables) =>
  db.$queryRawUnsafe<Row[]>(
    `${MIRRORED(t)}
     UNION ALL
     SELECT l.id, l.name, ${columns(t, 'l')} FROM ${t.legacy} l
      WHERE NOT EXISTS (SELECT 1 FROM ${t.map} x WHERE x.${t.mapId} = l.id)
     ORDER BY id`,
  );

/** Organizations with a profile of this kind but no crosswalk row (parity's `extra`). */
export const unmappedProfiles = async (db: Sql, t: LegacyTables) =>
  (
    await db.$queryRawUnsafe<{ org_id: string }[]>(
      `SELECT p.org_id::text FROM ${t.profile} p
        WHERE NOT EXISTS (SELECT 1 FROM ${t.map} m WHERE m.org_id = p.org_id) ORDER BY p.org_id`,
    )
  ).map((r) => r.org_id);

/** The organization a legacy row is mapped to (its owner), if any. */
export async function ownerOf(db: Sql, t: LegacyTables, id: number): Promise<string | null> {
  const [row] = await db.$queryRawUnsafe<{ org_id: string }[]>(
    `SELECT org_id::text FROM ${t.map} WHERE ${t.mapId} = $1`,
    id,
  );
  return row?.org_id ?? null;
}

/** A mirrored organization as its audit row and event show it. */
export interface Mirror {
  orgId: string;
  created: boolean;
  name: string;
  type: string;
  profile: Record<string, string | null>;
}

/**
 * Writes a legacy row's mirror (dual-write): its organization, its profile and, for a row not
 * mapped yet, a new organization of `type` and the crosswalk row. In the caller's transaction,
 * so the legacy write and its mirror commit or fail together. The crosswalk row is locked
 * first, so two writes of one legacy row mirror one after the other.
 */
export async function writeMirror(
  tx: Sql,
  t: LegacyTables,
  row: LegacyRow,
  type: MirroredOrgType,
): Promise<Mirror> {
  const profile = Object.fromEntries(t.fields.map((f) => [f, row[f] ?? null]));
  const values = t.fields.map((f) => profile[f]);
  const [mapped] = await tx.$queryRawUnsafe<{ org_id: string; type: string }[]>(
    `SELECT m.org_id::text, o.type::text FROM ${t.map} m JOIN org_graph.organization o ON o.id = m.org_id
      WHERE m.${t.mapId} = $1 FOR UPDATE OF m`,
    row.id,
  );
  const placeholders = t.fields.map((_, i) => `$${i + 2}`).join(', ');
  const upsertProfile = (orgId: string) =>
    tx.$executeRawUnsafe(
      `INSERT INTO ${t.profile} (org_id, ${t.fields.join(', ')}) VALUES ($1::uuid, ${placeholders})
       ON CONFLICT (org_id) DO UPDATE SET ${t.fields.map((f) => `"${f}" = EXCLUDED."${f}"`).join(', ')}, updated_at = now()`,
      orgId,
      ...values,
    );
  if (mapped) {
    await tx.$executeRawUnsafe(
      'UPDATE org_graph.organization SET name = $2, updated_at = now() WHERE id = $1::uuid',
      mapped.org_id,
      row.name,
    );
    await upsertProfile(mapped.org_id);
    return { orgId: mapped.org_id, created: false, name: row.name, type: mapped.type, profile };
  }
  const orgId = uuidv7();
  await tx.$executeRawUnsafe(
    `INSERT INTO org_graph.organization (id, name, type) VALUES ($1::uuid, $2, $3::org_graph."OrgType")`,
    orgId,
    row.name,
    type,
  );
  await upsertProfile(orgId);
  await tx.$executeRawUnsafe(
    `INSERT INTO ${t.map} (${t.mapId}, org_id, source) VALUES ($1, $2::uuid, 'DUAL_WRITE')`,
    row.id,
    orgId,
  );
  return { orgId, created: true, name: row.name, type, profile };
}

/** The writes of one legacy table (integer ids): the legacy commands are the same for each. */
export interface LegacyTable<Row, Data> {
  create(tx: OrgGraphTx, data: Data): Promise<Row>;
  find(tx: OrgGraphTx, id: number): Promise<Row | null>;
  update(tx: OrgGraphTx, id: number, data: Partial<Data>): Promise<Row>;
}

export const manufacturers: LegacyTable<Manufacturer, Prisma.ManufacturerCreateInput> = {
  create: (tx, data) => tx.manufacturer.create({ data }),
  find: (tx, id) => tx.manufacturer.findUnique({ where: { id } }),
  update: (tx, id, data) => tx.manufacturer.update({ where: { id }, data }),
};

export const suppliers: LegacyTable<Supplier, Prisma.SupplierCreateInput> = {
  create: (tx, data) => tx.supplier.create({ data }),
  find: (tx, id) => tx.supplier.findUnique({ where: { id } }),
  update: (tx, id, data) => tx.supplier.update({ where: { id }, data }),
};
