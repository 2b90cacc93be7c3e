// Idempotency keys (Stripe's and the IETF draft's semantics): the same key and input replays the
// first answer with one side effect; other input is IDEMPOTENCY_CONFLICT; concurrent duplicates
// execute once; keys belong to the caller's organization, so another tenant's key is invisible.
import { tenancyOf } from '@trellis/kit';
import { withTenancy } from '@trellis/prisma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { op } from '../support/contract.js';
import { codes, startTestSupergraph, type TestSupergraph, token } from '../support/supergraph.js';
import { A, B, callerOf, type RawClient, runtimeClients } from './fixtures.js';

let sg: TestSupergraph;
let clients: Record<string, RawClient>;
const asOrg: Record<string, string> = {};

beforeAll(async () => {
  sg = await startTestSupergraph();
  clients = runtimeClients(sg.db);
  for (const org of [A, B]) {
    asOrg[org] = await token({ sub: `user-of-${org === A ? 'A' : 'B'}`, org, scope: 'org:write' });
  }
});
afterAll(async () => {
  await Promise.all(Object.values(clients ?? {}).map((c) => c.$disconnect()));
  await sg?.close();
});

const createChannel = (org: string, code: string, key: string | null, headerKey?: string) =>
  sg.gql(
    op('CreateChannel'),
    { input: { ownerOrgId: org, code, name: code, currency: 'EUR', idempotencyKey: key } },
    { token: asOrg[org], headers: headerKey ? { 'idempotency-key': headerKey } : {} },
  );

const effects = async (code: string) =>
  (
    await sg.db.query<{ channels: number; events: number; audits: number }>(
      `SELECT (SELECT count(*)::int FROM org_graph.channel WHERE code = $1) AS channels,
              (SELECT count(*)::int FROM agreements.outbox_event WHERE type = 'channel.created' AND payload->>'code' = $1) AS events,
              (SELECT count(*)::int FROM org_graph.audit_log a JOIN org_graph.channel c ON c.id::text = a.object_id
                 WHERE c.code = $1 AND a.action = 'channel.create') AS audits`,
      [code],
    )
  )[0]!;

describe('idempotency keys', () => {
  it('replays the first answer for the same key and input, with one side effect', async () => {
    const first = await createChannel(A, 'IDEM-REPLAY', 'key-replay');
    const again = await createChannel(A, 'IDEM-REPLAY', 'key-replay');
    expect(first.errors).toBeUndefined();
    expect(again.errors).toBeUndefined();
    expect(again.data.createChannel).toEqual(first.data.createChannel);
    expect(await effects('IDEM-REPLAY')).toEqual({ channels: 1, events: 1, audits: 1 });
  });

  it('answers IDEMPOTENCY_CONFLICT for the same key with other input, and writes nothing', async () => {
    await createChannel(A, 'IDEM-FIRST', 'key-conflict');
    const other = await createChannel(A, 'IDEM-OTHER', 'key-conflict');
    expect(codes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(await effects('IDEM-OTHER')).toEqual({ channels: 0, events: 0, audits: 0 });
  });

  it('executes 20 concurrent duplicates once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => createChannel(A, 'IDEM-RACE', 'key-race')),
    );
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    expect(new Set(answers.map((a) => a.data.createChannel.id)).size).toBe(1);
    expect(await effects('IDEM-RACE')).toEqual({ channels: 1, events: 1, audits: 1 });
  });

  it('the Idempotency-Key header works the same', async () => {
    const first = await createChannel(A, 'IDEM-HEADER', null, 'header-key');
    const again = await createChannel(A, 'IDEM-HEADER', null, 'header-key');
    expect(again.data.createChannel).toEqual(first.data.createChannel);
    expect(await effects('IDEM-HEADER')).toEqual({ channels: 1, events: 1, audits: 1 });
  });

  it('another organization reusing the key sees nothing of the first', async () => {
    const mine = await createChannel(A, 'IDEM-SHARED-A', 'key-shared');
    // the same key for B's own write runs B's write: no replay of A's answer, no conflict
    const theirs = await createChannel(B, 'IDEM-SHARED-B', 'key-shared');
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.createChannel.id).not.toBe(mine.data.createChannel.id);
    expect(theirs.data.createChannel.code).toBe('IDEM-SHARED-B');
    // B sending A's exact request is refused before any key is looked at
    const copy = await sg.gql(
      op('CreateChannel'),
      {
        input: {
          ownerOrgId: A,
          code: 'IDEM-SHARED-A',
          name: 'IDEM-SHARED-A',
          currency: 'EUR',
          idempotencyKey: 'key-shared',
        },
      },
      { token: asOrg[B] },
    );
    expect(codes(copy)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(copy)).not.toContain(mine.data.createChannel.id);
    // and below the resolvers, B's tenancy shows none of A's records
    const visible = await withTenancy(tenancyOf(callerOf(B), 'r'), () =>
      clients['org-graph']!.$queryRawUnsafe<{ org_id: string }[]>(
        "SELECT org_id FROM org_graph.idempotency_record WHERE key = 'key-shared'",
      ),
    );
    expect(visible.map((r) => r.org_id)).toEqual([B]);
  });

  it('keeps keys (at least 24 hours: nothing purges them)', async () => {
    const [{ n }] = (await sg.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM org_graph.idempotency_record',
    )) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(6);
  });
});
