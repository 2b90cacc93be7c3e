import type { ArgType, SqlQuery } from '@prisma/driver-adapter-utils';
import type { Tenancy } from '../tenancy.js';

/** The first statement of every runtime transaction: role and tenancy, transaction-local. */
export const SETTINGS_SQL =
  "SELECT set_config('role', $1, true), set_config('app.org_id', $2, true), set_config('app.is_admin', $3, true), set_config('app.subject', $4, true), set_config('app.request_id', $5, true), set_config('app.on_behalf_of', $6, true)";
const TEXT_ARG: ArgType = { scalarType: 'string', arity: 'scalar' };

/** The settings statement for `role` and tenancy `t` (none: empty settings, no tenant rows). */
export function settingsQuery(role: string, t: Tenancy | undefined): SqlQuery {
  return {
    sql: SETTINGS_SQL,
    args: [
      role,
      t?.orgId ?? '',
      t?.admin ? 'true' : 'false',
      t?.subject ?? '',
      t?.requestId ?? '',
      t?.onBehalfOf?.join(',') ?? '',
    ],
    argTypes: [TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG, TEXT_ARG],
  };
}
