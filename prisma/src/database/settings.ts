import type { ArgType, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { Tenancy } from '../tenancy.js';

/** What a runtime transaction sets, transaction-locally, in this order. */
const SETTINGS = [
  'role',
  'app.org_id',
  'app.is_admin',
  'app.subject',
  'app.request_id',
  'app.on_behalf_of',
  'plan_cache_mode',
] as const;

/**
 * Marks a statement whose plan does not depend on its values (the hot reads, `sqlReader`: keys
 * and key arrays): on PostgreSQL it runs its connection's generic plan, planned once, instead of
 * a custom plan per execution. PostgreSQL's own choice (`auto`) kept custom plans for them —
 * a plan per request, up to a millisecond for the catalog page, longer than its execution.
 */
export const GENERIC_PLAN = '/* trellis: generic plan */ ';

/** The plan cache mode a statement runs with (`GENERIC_PLAN`). */
export const planCacheMode = (sql: string) =>
  sql.startsWith(GENERIC_PLAN) ? 'force_generic_plan' : 'auto';

/** The first statement of every runtime transaction: role and tenancy, transaction-local. */
export const SETTINGS_SQL = `SELECT ${SETTINGS.map((name, i) => `set_config('${name}', $${i + 1}, true)`).join(', ')}`;
const TEXT_ARG: ArgType = { scalarType: 'string', arity: 'scalar' };

/** The settings' values, in `SETTINGS` order. */
export const settingValues = (
  role: string,
  t: Tenancy | undefined,
  planMode: ReturnType<typeof planCacheMode> = 'auto',
): string[] => [
  role,
  t?.orgId ?? '',
  t?.admin ? 'true' : 'false',
  t?.subject ?? '',
  t?.requestId ?? '',
  t?.onBehalfOf?.join(',') ?? '',
  planMode,
];

/** The settings statement for `role` and tenancy `t` (none: empty settings, no tenant rows). */
export function settingsQuery(role: string, t: Tenancy | undefined): SqlQuery {
  return {
    sql: SETTINGS_SQL,
    args: settingValues(role, t),
    argTypes: SETTINGS.map(() => TEXT_ARG),
  };
}

/**
 * The same settings as one statement without parameters (each value an escaped literal), to
 * follow BEGIN in one simple-protocol batch: one round trip instead of two.
 */
export const settingsScript = (role: string, t: Tenancy | undefined): string =>
  `SELECT ${settingValues(role, t)
    .map((value, i) => `set_config('${SETTINGS[i]}', ${pg.escapeLiteral(value)}, true)`)
    .join(', ')}`;
