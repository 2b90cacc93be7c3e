import { describe, expect, it } from 'vitest';
import { withTenancy } from '../tenancy.js';
import { counting, FIXTURE_ROLE, failing, request, tenancy, useRuntimeFixture } from './testing.js';

const fixture = useRuntimeFixture();
const { who } = fixture;

describe("a request's shared transaction", () => {
  it('lets a request share one transaction: BEGIN, settings and COMMIT once', async () => {
    const run = await counting(fixture.sent, () =>
      request('bob', true, () => Promise.all([who(), who(), who()])),
    );
    expect(run.result).toEqual(Array(3).fill(`bob/${FIXTURE_ROLE}`));
    expect(run).toMatchObject({ query: 3, control: 3 });
  });

  it('applies a nested tenancy inside the shared transaction, and the outer one after it', async () => {
    const run = await counting(fixture.sent, () =>
      request('carol', true, async () => [
        await who(),
        await withTenancy(tenancy('dave'), who),
        await who(),
      ]),
    );
    expect(run.result).toEqual([
      `carol/${FIXTURE_ROLE}`,
      `dave/${FIXTURE_ROLE}`,
      `carol/${FIXTURE_ROLE}`,
    ]);
    // BEGIN, settings, dave's settings, carol's again, COMMIT
    expect(run).toMatchObject({ query: 3, control: 5 });
  });

  it('keeps a failed statement from failing the statements after it', async () => {
    const seen = await request('erin', true, async () => {
      const first = await who();
      await expect(failing(fixture.adapter)).rejects.toThrow();
      return [first, await who()];
    });
    expect(seen).toEqual([`erin/${FIXTURE_ROLE}`, `erin/${FIXTURE_ROLE}`]);
  });

  it('commits what the request wrote when it ends', async () => {
    await withTenancy(undefined, () =>
      fixture.adapter.executeRaw({
        sql: 'CREATE TEMP TABLE note (v text)',
        args: [],
        argTypes: [],
      }),
    );
    await request('ivan', true, () =>
      fixture.adapter.executeRaw({
        sql: "INSERT INTO note VALUES ('kept')",
        args: [],
        argTypes: [],
      }),
    );
    const rows = await withTenancy(undefined, () =>
      fixture.adapter.queryRaw({ sql: 'SELECT v FROM note', args: [], argTypes: [] }),
    );
    expect(rows.rows).toEqual([['kept']]);
  });
});
