import { describe, expect, it } from 'vitest';
import { idempotent, requestHash } from './idempotency.js';
import { fakeDatabase } from './testing.js';

const O1 = '0190a000-0000-7000-8000-0000000000a1';
const O2 = '0190a000-0000-7000-8000-0000000000a2';
const ctx = (org: string | null, subject = 's') => ({
  caller: { subject, orgId: org, scopes: new Set<string>() },
});

describe('idempotency keys', () => {
  it('hash the same input the same whatever the key order', () => {
    expect(requestHash('op', { a: 1, b: [1, 2] })).toBe(requestHash('op', { b: [1, 2], a: 1 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('op', { a: 2 }));
    expect(requestHash('op', { a: 1 })).not.toBe(requestHash('other', { a: 1 }));
  });

  it('run once, replay the first answer, refuse other input', async () => {
    const tx = fakeDatabase().raw;
    let runs = 0;
    const run = async () => ({ id: `created-${++runs}` });
    const first = await idempotent(
      tx,
      's',
      ctx(O1),
      { operation: 'op', key: 'k', input: { a: 1 } },
      run,
    );
    const replay = await idempotent(
      tx,
      's',
      ctx(O1),
      { operation: 'op', key: 'k', input: { a: 1 } },
      run,
    );
    expect(replay).toEqual(first);
    expect(runs).toBe(1);
    await expect(
      idempotent(tx, 's', ctx(O1), { operation: 'op', key: 'k', input: { a: 2 } }, run),
    ).rejects.toMatchObject({
      extensions: { code: 'IDEMPOTENCY_CONFLICT' },
    });
  });

  it('scope keys to the caller’s organization', async () => {
    const tx = fakeDatabase().raw;
    let runs = 0;
    const run = async () => ++runs;
    await idempotent(tx, 's', ctx(O1), { operation: 'op', key: 'k', input: {} }, run);
    expect(await idempotent(tx, 's', ctx(O2), { operation: 'op', key: 'k', input: {} }, run)).toBe(
      2,
    );
  });

  it('scope keys of callers without an organization (or with one that is no id) to their subject', async () => {
    const tx = fakeDatabase().raw;
    let runs = 0;
    const run = async () => ++runs;
    await idempotent(tx, 's', ctx(null, 'alice'), { operation: 'op', key: 'k', input: {} }, run);
    expect(
      await idempotent(
        tx,
        's',
        ctx('not-an-id', 'alice'),
        { operation: 'op', key: 'k', input: {} },
        run,
      ),
    ).toBe(1);
    expect(
      await idempotent(tx, 's', ctx(null, 'bob'), { operation: 'op', key: 'k', input: {} }, run),
    ).toBe(2);
  });

  it('do nothing special without a key', async () => {
    const tx = fakeDatabase().raw;
    let runs = 0;
    const once = () =>
      idempotent(tx, 's', ctx(O1), { operation: 'op', input: {} }, async () => ++runs);
    await once();
    await once();
    expect(runs).toBe(2);
  });
});
