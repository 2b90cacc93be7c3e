import { describe, expect, it } from 'vitest';
import { withTenancy } from '../tenancy.js';
import { counting, FIXTURE_ROLE, request, subject, useRuntimeFixture } from './testing.js';

const fixture = useRuntimeFixture();
const { who } = fixture;

describe('the tenant adapter', () => {
  it('wraps every statement in its own transaction with the tenancy settings', async () => {
    const run = await counting(fixture.sent, () =>
      request('alice', false, async () => [await who(), await who()]),
    );
    expect(run.result).toEqual([`alice/${FIXTURE_ROLE}`, `alice/${FIXTURE_ROLE}`]);
    expect(run).toMatchObject({ query: 2, control: 6 }); // BEGIN, settings, COMMIT each
  });

  it('runs a statement without a tenancy with empty settings (no tenant rows)', async () => {
    expect(await withTenancy(undefined, who)).toBe(`/${FIXTURE_ROLE}`);
  });

  it('starts a Prisma transaction with the settings as its first statement', async () => {
    const run = await counting(fixture.sent, () =>
      request('henry', false, async () => {
        const tx = await fixture.adapter.startTransaction();
        const inside = await subject(tx);
        await tx.commit();
        return inside;
      }),
    );
    expect(run.result).toBe(`henry/${FIXTURE_ROLE}`);
    expect(run).toMatchObject({ query: 1, control: 3 }); // BEGIN, settings, COMMIT
  });

  it('ends the sharing before a transaction of its own (PGlite has one connection)', async () => {
    const seen = await request('frank', true, async () => {
      await who(); // the shared transaction is open
      const tx = await fixture.adapter.startTransaction();
      const inside = await tx.queryRaw({
        sql: "SELECT current_setting('app.subject', true)",
        args: [],
        argTypes: [],
      });
      await tx.commit();
      return [inside.rows[0]![0], await who()];
    });
    expect(seen).toEqual(['frank', `frank/${FIXTURE_ROLE}`]);
  });

  it('carries nothing over to the next request on the same connection', async () => {
    await request('grace', true, who);
    expect(await withTenancy(undefined, who)).toBe(`/${FIXTURE_ROLE}`);
  });

  it('refuses scripts (they would run without the settings)', async () => {
    await expect(fixture.adapter.executeScript('SELECT 1')).rejects.toThrow(/Database.exec/);
  });
});
