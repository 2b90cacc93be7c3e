// The explorer as a user meets it: headless Chromium (Debian's package) loads `/` with every
// host but loopback blocked, runs the flagship example through GraphiQL and sees prices.
// `pnpm docs:screenshots` saves the page to docs/img/explorer.png for the README.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoOrgId } from '@trellis/prisma/seed';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestSupergraph, type TestSupergraph } from '../support/supergraph.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.SCREENSHOTS
  ? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img', 'explorer.png')
  : undefined;
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `explorer browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

describe.skipIf(!available)('the explorer in a browser, offline', () => {
  let sg: TestSupergraph;
  let browser: Browser;
  beforeAll(async () => {
    sg = await startTestSupergraph({
      edge: {
        introspection: true,
        explorer: { token: await adminToken(), variables: { orgId: demoOrgId('acme') } },
      },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await sg?.close();
  });

  it('loads GraphiQL from the gateway alone and runs the flagship query with prices', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1600 } });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname))
        return route.continue();
      blocked.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(sg.url.replace(/graphql$/, ''));
    await page.locator('.graphiql-execute-button').waitFor();
    // the flagship example is the first tab, its variables and token pre-filled
    await expect
      .poll(() => page.locator('.graphiql-query-editor').innerText())
      .toContain('OrgCatalogWithPrices');
    const answer = page.waitForResponse(
      (r) =>
        r.url().endsWith('/graphql') &&
        (r.request().postData() ?? '').includes('OrgCatalogWithPrices'),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answer;
    const body = (await response.json()) as any;
    expect(body.errors, `${response.request().postData()}`).toBeUndefined();
    const amounts = body.data.organization.channels.flatMap((c: any) =>
      (c.catalog?.entries.edges ?? []).map((e: any) => e.node.price?.price?.amount),
    );
    expect(amounts.filter(Boolean).length).toBeGreaterThan(0);
    // and the user sees them
    await expect.poll(() => page.locator('.graphiql-response').innerText()).toMatch(/"amount"/);
    expect(blocked).toEqual([]);
    if (SCREENSHOT) {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
    await context.close();
  });
});
