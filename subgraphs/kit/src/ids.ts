import { z } from 'zod';

/** Any UUID PostgreSQL's `uuid` type accepts in canonical form (not only RFC versions). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** The keys a `uuid` column can hold; anything else matches no row and must not reach SQL. */
export const uuidsOnly = (ids: readonly string[]) => ids.filter(isUuid);

/** An ID argument naming a row of ours or an organization, e.g. `idOf('an organization')`. */
export const idOf = (what: string) => z.string().regex(UUID, `must be ${what} id`);
