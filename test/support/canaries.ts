import type { Database } from '@trellis/prisma';

/**
 * Canary values: secrets and personal data planted in the database (and every bearer token the
 * tests issue, and the test database's connection string). None may ever appear in a log line
 * or in an error body; the harness checks every error body `gql` receives and, at `close()`,
 * every log line of the run.
 */
export const CANARY = {
  engineerId: '0199ca7a-0000-7000-8000-00000000ca01',
  subscriptionId: '0199ca7a-0000-7000-8000-00000000ca02',
  /** the organization owning the canary rows (not one of the demo's) */
  orgId: '0199ca7a-0000-7000-8000-00000000ca00',
  email: 'canary.engineer+7f3a@pii-canary.example',
  webhookSecret: 'whsec_Q2FuYXJ5U2VjcmV0LWRvLW5vdC1sZWFr',
  connectionString: 'postgresql://trellis_canary:Canary-Pa55w0rd@db.internal.example:5432/trellis',
} as const;

const values = new Set<string>([CANARY.email, CANARY.webhookSecret, CANARY.connectionString]);

/** Adds a value that must never be logged or answered in an error (a token, a password). */
export function registerCanary(value: string): void {
  if (value.length >= 8) values.add(value);
}

export const canaryValues = (): string[] => [...values];

/** Throws when any canary value appears in `text`. */
export function assertNoCanary(text: string, where: string): void {
  for (const value of values) {
    if (text.includes(value)) {
      throw new Error(`a canary value leaked into ${where}: ${value.slice(0, 10)}…`);
    }
  }
}

/** Plants the canary rows (as the owner): an engineer with PII, a webhook with its secret. */
export async function seedCanaries(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO workforce.engineer (id, display_name, email, phone, home_lat, home_lng, updated_at)
     VALUES ($1, 'Canary Engineer', $2, '+49 30 5550 1234', 52.52, 13.405, now())
     ON CONFLICT (id) DO NOTHING`,
    [CANARY.engineerId, CANARY.email],
  );
  await db.query(
    `INSERT INTO workforce.engineer_coverage (id, engineer_id, regions)
     SELECT gen_random_uuid(), $1, '{DE-BE}'
     WHERE NOT EXISTS (SELECT 1 FROM workforce.engineer_coverage WHERE engineer_id = $1)`,
    [CANARY.engineerId],
  );
  await db.query(
    `INSERT INTO agreements.webhook_subscription (id, org_id, url, event_types, description, secret, updated_at)
     VALUES ($1, $2, 'https://hooks.canary.example/in', '{*}', $3, $4, now())
     ON CONFLICT (id) DO NOTHING`,
    [
      CANARY.subscriptionId,
      CANARY.orgId,
      `migrated from ${CANARY.connectionString}`,
      CANARY.webhookSecret,
    ],
  );
}
