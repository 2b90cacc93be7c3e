import { webcrypto } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { forbidden, unauthenticated } from './errors.js';
import { isUuid } from './ids.js';

/** The header the gateway sets on every subgraph request: a short-lived HS256 JWS. */
export const CALLER_HEADER = 'x-trellis-caller';
export const REQUEST_ID_HEADER = 'x-request-id';
const ISSUER = 'trellis-gateway';
const AUDIENCE = 'trellis-subgraphs';

export const SCOPES = [
  'org:write',
  'catalog:write',
  'catalog:publish',
  'pricing:write',
  'policy:write',
  'tickets:write',
  'workforce:write',
  'agreements:write',
  'webhooks:manage',
  'pii:read',
  // integrations of the legacy manufacturers/suppliers API (docs/coexistence.md)
  'legacy:write',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is asking: verified at the edge, then carried to every subgraph. */
export interface Caller {
  subject: string;
  /** the caller's organization (tenant); null for platform callers without one */
  orgId: string | null;
  scopes: ReadonlySet<string>;
}

export const isAdmin = (caller: Caller) => caller.scopes.has('admin');

/**
 * The caller of background work (the webhook dispatcher, backfills): an administrator named
 * after the job. Run its statements in `runAsSystem(job, …)` (from `@trellis/prisma`), whose
 * tenancy has the same subject.
 */
export const systemCaller = (job: string): Caller => ({
  subject: `system:${job}`,
  orgId: null,
  scopes: new Set(['admin']),
});
export const hasScope = (caller: Caller, scope: Scope) =>
  caller.scopes.has(scope) || caller.scopes.has('admin');

/** FORBIDDEN unless the caller holds `scope`, or one of `alternatives`. */
export function requireScope(caller: Caller, scope: Scope, ...alternatives: Scope[]): void {
  if (hasScope(caller, scope) || alternatives.some((s) => hasScope(caller, s))) return;
  throw forbidden(
    alternatives.length
      ? `this operation needs one of the scopes ${[scope, ...alternatives].join(', ')}`
      : `this operation needs the scope ${scope}`,
  );
}

/** Writes act only for the caller's own organization unless the caller is an administrator. */
export function requireActsFor(caller: Caller, orgId: string): void {
  if (isAdmin(caller) || caller.orgId === orgId) return;
  throw forbidden(`you may act only for your own organization (${caller.orgId ?? 'none'})`);
}

const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * The HS256 key of a secret, imported once: jose would import raw bytes again for every
 * token (an extra WebCrypto round trip on each signature and verification).
 */
export function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    hmacKeys.set(secret, key);
  }
  return key;
}

/** How long a forwarded caller token is valid. */
const TOKEN_TTL_S = 60;

/**
 * The gateway's signature over a caller, for its subgraph fetches. A subgraph in the same
 * process (the all-in-one runtime) takes the token as verified without verifying it again: the
 * process made it, with that key, so it verifies by construction (`verifiedCallers`).
 */
export async function signCaller(
  caller: Caller,
  secret: string,
  requestId: string,
): Promise<string> {
  const key = await hmacKey(secret);
  const claims = { org: caller.orgId, scope: [...caller.scopes].join(' '), rid: requestId };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(caller.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_S}s`)
    .sign(key);
  // as a verification would read the caller back from the claims; claims it would refuse are
  // left to it, to refuse as before
  const verified = attempt(() => callerFromClaims({ ...claims, sub: caller.subject }));
  if (verified) {
    // no later than the token's own `exp` (whole seconds, from a later instant)
    const ttl = (TOKEN_TTL_S - 1) * 1000;
    verifiedCallers.set(
      token,
      { caller: verified, requestId, key, expiresAt: Date.now() + ttl },
      { ttl },
    );
  }
  return token;
}

const attempt = <T>(make: () => T): T | undefined => {
  try {
    return make();
  } catch {
    return undefined;
  }
};

interface VerifiedCaller {
  caller: Caller;
  requestId?: string;
  /** the key the token verified with: it counts for that key only */
  key: webcrypto.CryptoKey;
  /** the token's `exp`, in epoch milliseconds */
  expiresAt: number;
}

/**
 * Callers verified, by token. A request's signed caller travels with each of its subgraph
 * fetches (four for the flagship), and the same bytes verify the same way until they expire,
 * so a process verifies each token once. Bounded; an entry lives until its token's `exp`.
 */
const verifiedCallers = new LRUCache<string, VerifiedCaller>({ max: 10_000 });

/** Verifies the forwarded caller; anything else (absent, forged, expired) is refused. */
export async function verifyCaller(
  token: string | undefined,
  secret: string,
): Promise<{ caller: Caller; requestId?: string }> {
  if (!token) throw unauthenticated('requests must come through the gateway');
  const key = await hmacKey(secret);
  const held = verifiedCallers.get(token);
  if (held?.key === key && Date.now() < held.expiresAt)
    return { caller: held.caller, requestId: held.requestId };
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const verified = {
      caller: callerFromClaims(payload),
      requestId: typeof payload.rid === 'string' ? payload.rid : undefined,
    };
    if (typeof payload.exp === 'number') {
      const expiresAt = payload.exp * 1000;
      const ttl = expiresAt - Date.now();
      if (ttl > 0) verifiedCallers.set(token, { ...verified, key, expiresAt }, { ttl });
    }
    return verified;
  } catch {
    throw unauthenticated('requests must come through the gateway');
  }
}

/**
 * Maps JWT claims (`sub`, `org`, `scope`) to a caller. An `org` that is not an organization id
 * (a UUID) is refused: every tenancy setting and policy compares it with `uuid` columns.
 */
export function callerFromClaims(claims: Record<string, unknown>): Caller {
  if (typeof claims.sub !== 'string' || !claims.sub) throw unauthenticated('token has no subject');
  const org = claims.org === '' ? null : (claims.org ?? null);
  if (org !== null && (typeof org !== 'string' || !isUuid(org)))
    throw unauthenticated('the token’s org claim is not an organization id');
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  return {
    subject: claims.sub,
    orgId: org,
    scopes: new Set(scope.split(' ').filter(Boolean)),
  };
}
