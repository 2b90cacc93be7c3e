// `pnpm token --org <id|name> --scope "…" [--ttl 1h] [--sub <subject>]`: a bearer token signed
// with AUTH_JWT_SECRET, as the identity provider would issue it (development and onboarding).
import { parseArgs } from 'node:util';
import { hmacKey, parseConfig, SCOPES } from '@trellis/kit';
import { databaseFromEnv } from '@trellis/prisma';
import { SignJWT } from 'jose';
import { z } from 'zod';

const config = parseConfig(
  z.object({
    AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET (32+ characters) signs the token'),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
  }),
);
const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    scope: { type: 'string', default: '' },
    ttl: { type: 'string', default: '1h' },
    sub: { type: 'string', default: 'dev-user' },
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const unknown = values.scope
  .split(/\s+/)
  .filter((s) => s && !(SCOPES as readonly string[]).includes(s));
if (unknown.length) fail(`unknown scope(s): ${unknown.join(', ')}; known: ${SCOPES.join(' ')}`);

/** An organization id as given, or the id of the one organization of that name. */
async function orgIdOf(org: string): Promise<string> {
  if (UUID.test(org)) return org;
  const db = await databaseFromEnv();
  try {
    const rows = await db.query<{ id: string }>(
      'SELECT id::text AS id FROM org_graph.organization WHERE lower(name) = lower($1)',
      [org],
    );
    if (rows.length !== 1)
      fail(`${rows.length ? 'several organizations are' : 'no organization is'} named "${org}"`);
    return rows[0]!.id;
  } finally {
    await db.close();
  }
}

const org = values.org ? await orgIdOf(values.org) : undefined;
let jwt = new SignJWT({ ...(org ? { org } : {}), scope: values.scope })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(values.sub)
  .setIssuedAt()
  .setExpirationTime(values.ttl);
if (config.AUTH_ISSUER) jwt = jwt.setIssuer(config.AUTH_ISSUER);
if (config.AUTH_AUDIENCE) jwt = jwt.setAudience(config.AUTH_AUDIENCE);
console.log(await jwt.sign(await hmacKey(config.AUTH_JWT_SECRET)));
