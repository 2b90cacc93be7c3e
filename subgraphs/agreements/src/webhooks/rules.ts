import { BlockList, isIP } from 'node:net';
import { type Caller, idOf, isAdmin } from '@trellis/kit';
import { z } from 'zod';
import { EVENT_TYPE } from '../events/rules.js';

export const webhookSubscriptionsArgs = z.object({ orgId: idOf('an organization').nullish() });
export const webhookDeliveriesArgs = z.object({
  subscriptionId: idOf('a webhook subscription'),
});

/** A subscription, and its deliveries, are visible to its owner organization and to admin. */
export function canSeeWebhookSubscription(caller: Caller, ownerOrgId: string): boolean {
  return isAdmin(caller) || (caller.orgId !== null && caller.orgId === ownerOrgId);
}

/** Which subscriptions (or their deliveries) a list shows: `ownerOrgId`'s (null: all). */
export interface WebhookListScope {
  ownerOrgId: string | null;
}

/**
 * The subscriptions a caller may list, optionally narrowed to `orgId`'s; null when it may see
 * none (no organization, or another organization's, unless admin).
 */
export function webhookListScope(caller: Caller, orgId?: string | null): WebhookListScope | null {
  if (isAdmin(caller)) return { ownerOrgId: orgId ?? null };
  if (caller.orgId === null || (orgId && orgId !== caller.orgId)) return null;
  return { ownerOrgId: caller.orgId };
}

// --- subscriptions ---------------------------------------------------------------------

const idempotencyKey = z.string().min(1).max(200).nullish();
const url = z.string().trim().min(1, 'url is required').max(2048, 'url is at most 2048 characters');
const eventTypes = z
  .array(
    z
      .string()
      .trim()
      .refine((t) => t === '*' || (t.length <= 100 && EVENT_TYPE.test(t)), {
        message: 'an event type such as "ticket.created", or "*" for all',
      }),
  )
  .min(1, 'name at least one event type, or "*" for all')
  .max(100, 'at most 100 event types')
  .transform((types) => [...new Set(types)].sort());
const description = z.string().trim().max(500, 'description is at most 500 characters').nullish();

export const createWebhookSubscriptionInput = z.object({
  orgId: idOf('an organization'),
  url,
  eventTypes,
  description,
  idempotencyKey,
});

export const updateWebhookSubscriptionInput = z.object({
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  description,
  active: z.boolean().optional(),
  idempotencyKey,
});

/** Whether a subscription wants events of `type`. */
export const wantsEvent = (subscribedTypes: readonly string[], type: string) =>
  subscribedTypes.includes('*') || subscribedTypes.includes(type);

// --- targets: URL rules and SSRF ---------------------------------------------------------

/**
 * Where webhooks may not go unless the operator allows private targets: loopback, private,
 * shared (CGNAT), link-local (cloud metadata at 169.254.169.254), unspecified, benchmarking,
 * multicast and reserved ranges, in IPv4 and IPv6.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is one a webhook may not reach (IPv4-mapped IPv6 as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface TargetRules {
  /** http allowed (outside production) */
  allowHttp: boolean;
  allowPrivateTargets: boolean;
}

/** The host of a URL as an address when it is an IP literal (`[::1]` → `::1`), else null. */
export const ipLiteral = (hostname: string): string | null => {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : null;
};

/**
 * What is wrong with a webhook URL, before any DNS lookup: its syntax, scheme, credentials,
 * and a host that is itself a private address or `localhost`. Null when it may be used.
 */
export function urlProblem(raw: string, rules: TargetRules): string | null {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return 'url must be an absolute URL such as https://hooks.example.com/trellis';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'url must use https';
  }
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (parsed.hash) return 'url must not have a fragment';
  if (!rules.allowPrivateTargets) {
    const literal = ipLiteral(parsed.hostname);
    if (literal ? isPrivateAddress(literal) : /^localhost$|\.localhost$/i.test(parsed.hostname)) {
      return `url targets a private, loopback or link-local address (${parsed.hostname}), which is refused`;
    }
  }
  if (parsed.protocol === 'http:' && !rules.allowHttp) return 'url must use https';
  return null;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address (the dispatcher's is `dns.promises.lookup`, all). */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

/**
 * The addresses a request to `hostname` may connect to: every address it resolves to is
 * checked (one private address refuses the host: DNS answers can rotate). Throws the refusal.
 */
export async function resolveTarget(
  hostname: string,
  lookup: LookupAll,
  allowPrivateTargets: boolean,
): Promise<ResolvedAddress[]> {
  const literal = ipLiteral(hostname);
  const addresses = literal
    ? [{ address: literal, family: isIP(literal) }]
    : await lookup(hostname);
  if (addresses.length === 0) throw new TargetRefused(`${hostname} resolves to no address`);
  if (!allowPrivateTargets) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      throw new TargetRefused(
        `${hostname} resolves to a private, loopback or link-local address (${bad.address}), which is refused`,
      );
    }
  }
  return addresses;
}

/** A target refused before any connection (SSRF rules). */
export class TargetRefused extends Error {
  override name = 'TargetRefused';
}

// --- delivery: retries and outcomes ------------------------------------------------------

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "5s,5m,30m,2h" → milliseconds; null when a part is not a duration. */
export function parseSchedule(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim());
  const delays: number[] = [];
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(part);
    if (!m) return null;
    delays.push(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
  }
  return delays.length ? delays : null;
}

/**
 * The delay before the retry that follows failed attempt `attempt` (1-based), or null when the
 * schedule is spent (the delivery is dead). Full jitter within the step's window: uniformly
 * between the previous step and this one, so retries of many deliveries spread out while the
 * delays still grow.
 */
export function retryDelay(
  attempt: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  const step = schedule[attempt - 1];
  if (step === undefined) return null;
  const floor = Math.min(schedule[attempt - 2] ?? 0, step);
  return Math.round(floor + random() * (step - floor));
}

/** What one attempt answered: an HTTP status, or an error before any (timeout, refusal). */
export type AttemptResult = { status: number } | { error: string };

export type AttemptOutcome =
  | { status: 'DELIVERED' }
  | { status: 'FAILED'; retryInMs: number }
  | { status: 'DEAD'; disable?: 'GONE' };

/** The fate of a delivery after its attempt number `attempt` answered `result`. */
export function attemptOutcome(
  result: AttemptResult,
  attempt: number,
  schedule: readonly number[],
  random?: () => number,
): AttemptOutcome {
  if ('status' in result && result.status >= 200 && result.status < 300) {
    return { status: 'DELIVERED' };
  }
  // 410 Gone: the receiver says the endpoint is no more; no retry, the subscription stops
  if ('status' in result && result.status === 410) return { status: 'DEAD', disable: 'GONE' };
  const retryInMs = retryDelay(attempt, schedule, random);
  return retryInMs === null ? { status: 'DEAD' } : { status: 'FAILED', retryInMs };
}

/** Why the dispatcher disables a subscription, as `disabledReason` says it. */
export function disableReason(
  outcome: AttemptOutcome,
  consecutiveDead: number,
  disableAfterDead: number,
): string | null {
  if (outcome.status !== 'DEAD') return null;
  if (outcome.disable === 'GONE') return 'the endpoint answered 410 Gone';
  return consecutiveDead >= disableAfterDead
    ? `${consecutiveDead} deliveries in a row were dead`
    : null;
}

// --- redelivery and replay ---------------------------------------------------------------

export const redeliverWebhookArgs = z.object({ deliveryId: idOf('a webhook delivery') });

export const replayWebhooksArgs = z
  .object({
    subscriptionId: idOf('a webhook subscription'),
    from: z.coerce.date(),
    to: z.coerce.date(),
    status: z.enum(['PENDING', 'DELIVERED', 'FAILED', 'DEAD']).nullish(),
  })
  .refine((a) => a.from < a.to, { path: ['to'], message: 'to must be after from' });

/** Which deliveries a redelivery re-queues: those not already waiting for an attempt. */
export const isQueued = (status: string) => status === 'PENDING';
