// Issue 18: SIGTERM during a burst. The process stops accepting, finishes every request it
// accepted, stops the catalog scheduler after its pass, closes the pools and exits 0.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoOrgId } from '@trellis/prisma/seed';
import { expect, it } from 'vitest';
import { OrgCatalogWithPricesDocument } from './__generated__/contract.js';
import { freePort, startTrellis } from './support/process.js';

it('SIGTERM during a burst: no accepted request fails', async () => {
  const port = await freePort();
  const trellis = startTrellis({
    PORT: String(port),
    DATA_DIR: join(mkdtempSync(join(tmpdir(), 'trellis-shutdown-')), 'data'),
    WARM_UP: 'off',
    // the test is about stopping: a loaded machine must not turn slow answers into partial ones
    SUBGRAPH_TIMEOUT_MS: '60000',
    REQUEST_TIMEOUT_MS: '120000',
    CATALOG_SCHEDULER_INTERVAL_MS: '200',
  });
  await trellis.waitFor(/Trellis is up/);
  const body = JSON.stringify({
    query: String(OrgCatalogWithPricesDocument),
    variables: { orgId: demoOrgId('acme'), first: 50 },
  });
  const outcomes: string[] = [];
  let firstAnswer: () => void;
  const answered = new Promise<void>((r) => {
    firstAnswer = r;
  });
  // the embedded demo answers tokenless loopback requests as its administrator
  const burst = Array.from({ length: 12 }, async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { errors?: unknown };
      outcomes.push(
        res.status === 200 && !json.errors
          ? 'ok'
          : `failed ${res.status} ${JSON.stringify(json.errors)}`,
      );
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      // refused: never accepted (the listener was closed first); anything else broke a request
      outcomes.push(
        code === 'ECONNREFUSED' ? 'refused' : `failed ${code ?? (error as Error).message}`,
      );
    }
    firstAnswer();
  });
  await answered;
  trellis.child.kill('SIGTERM');
  await Promise.all(burst);
  expect(await trellis.exited).toBe(0);
  expect(
    outcomes.filter((o) => o.startsWith('failed')),
    trellis.output().match(/.*unavailable.*/g)?.[0],
  ).toEqual([]);
  // the burst was in flight when the signal came: most of it was answered after it
  expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(1);
  expect(trellis.output()).toMatch(
    /stopping: finishing the requests in flight[\s\S]*"msg":"stopped"/,
  );
}, 180_000);
