import { randomUUID } from 'node:crypto';
import { ContextSlot } from './context-slot.js';

/**
 * Who the statements of the current request run for. The runtime adapter (`Database.adapter`)
 * turns it into transaction-local settings (`app.org_id`, `app.is_admin`, `app.subject`,
 * `app.request_id`) that the row-level security policies read, so the tenant boundary holds
 * below the resolvers, whatever query a resolver sends.
 */
export interface Tenancy {
  /** the caller's organization; null for callers without one (never anything but a UUID) */
  orgId: string | null;
  /** the verified subject (`sub`), or `system:<job>` for background work */
  subject: string;
  /** platform administrators pass the `admin` policies of every table */
  admin: boolean;
  requestId: string;
  /**
   * Organizations the code has authorized this work to read for (`app.on_behalf_of`), beyond
   * the caller's own: a channel's owner resolving the price a member pays reads the member's
   * ORG books. Only the policies that name the setting honour it; UUIDs only.
   */
  onBehalfOf?: readonly string[];
}

/** A transaction the statements of one scope share (the runtime adapter implements it). */
export interface SharedTransaction {
  /** commits what is open; later statements of the scope run on their own */
  end(): Promise<void>;
}

/** The transactions one request shares, one per connection source (a slice's pool; PGlite's one connection), while `shared`. */
interface Sharing {
  shared: boolean;
  open: Map<string, SharedTransaction>;
}

interface Scope {
  tenancy?: Tenancy;
  sharing?: Sharing;
}

const storage = new ContextSlot<Scope>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organization id as the policies compare it: a UUID, else none. */
export const tenantOrgId = (orgId: string | null | undefined): string | null =>
  orgId && UUID.test(orgId) ? orgId.toLowerCase() : null;

/**
 * The key space of a caller's idempotency records and the value the `idempotency_record`
 * policies compare with: the organization, or `subject:<sub>` for callers without one.
 */
export const idempotencyScopeOf = (t: Pick<Tenancy, 'orgId' | 'subject'>): string =>
  tenantOrgId(t.orgId) ?? `subject:${t.subject}`;

const normalized = (t: Tenancy): Tenancy => ({
  ...t,
  orgId: tenantOrgId(t.orgId),
  ...(t.onBehalfOf && {
    onBehalfOf: t.onBehalfOf.map(tenantOrgId).filter((id): id is string => id !== null),
  }),
});

/** The tenancy in force here, if any. */
export const currentTenancy = (): Tenancy | undefined => storage.getStore()?.tenancy;

/**
 * Runs `fn` (and everything it awaits) for `tenancy`; `undefined` runs it for nobody. The
 * result is awaited inside the scope: Prisma's promises are lazy and send their SQL only
 * when awaited.
 */
export function withTenancy<T>(tenancy: Tenancy | undefined, fn: () => T): Promise<Awaited<T>> {
  const scope = {
    tenancy: tenancy && normalized(tenancy),
    // a nested tenancy keeps to the request's shared transactions (its settings are applied
    // there before its statements), so one request never waits for a connection it holds
    sharing: storage.getStore()?.sharing,
  };
  return storage.run(scope, async (): Promise<Awaited<T>> => await fn());
}

/**
 * Opens a scope whose tenancy is not known yet: an HTTP request runs inside it, and
 * `enterTenancy` fills it in once the caller is verified. Until then (and if it never is),
 * statements run for nobody and see no tenant rows.
 */
export function withTenancyScope<T>(fn: () => T): Promise<Awaited<T>> {
  return storage.run({}, async (): Promise<Awaited<T>> => await fn());
}

/** Sets the tenancy of the current scope, once. */
export function enterTenancy(tenancy: Tenancy): void {
  const scope = storage.getStore();
  if (!scope) throw new Error('enterTenancy: no tenancy scope is open');
  if (scope.tenancy) throw new Error('enterTenancy: the tenancy of this scope is already set');
  scope.tenancy = normalized(tenancy);
}

/** The tenancy of background work (dispatcher, backfills): an administrator named after the job. */
export const systemTenancy = (job: string, requestId: string = randomUUID()): Tenancy => ({
  orgId: null,
  subject: `system:${job}`,
  admin: true,
  requestId,
});

/** Runs background work as the system (it passes every table's admin policy). */
export const runAsSystem = <T>(job: string, fn: () => T): Promise<Awaited<T>> =>
  withTenancy(systemTenancy(job), fn);

/**
 * From now on, the statements this scope sends outside a Prisma transaction share one
 * transaction per connection source (BEGIN and the settings once, not around every statement) until
 * `endSharedTransactions`. For read-only requests: a failed statement rolls back only the shared
 * transaction it ran in (the next statement opens another), and a Prisma transaction started
 * meanwhile ends the sharing first.
 */
export function shareTransactions(): void {
  const scope = storage.getStore();
  if (!scope) throw new Error('shareTransactions: no tenancy scope is open');
  scope.sharing ??= { shared: true, open: new Map() };
}

/** Commits the scope's shared transactions; its later statements run on their own again. */
export async function endSharedTransactions(): Promise<void> {
  const sharing = storage.getStore()?.sharing;
  if (!sharing?.shared) return;
  sharing.shared = false;
  const open = [...sharing.open.values()];
  sharing.open.clear();
  await Promise.all(open.map((t) => t.end()));
}

/** The scope's shared transaction for `key` (opened by `open` on first use), if it shares. */
export function sharedTransaction<T extends SharedTransaction>(
  key: string,
  open: () => T,
): T | undefined {
  const sharing = storage.getStore()?.sharing;
  if (!sharing?.shared) return undefined;
  let found = sharing.open.get(key);
  if (!found) {
    found = open();
    sharing.open.set(key, found);
  }
  return found as T;
}
