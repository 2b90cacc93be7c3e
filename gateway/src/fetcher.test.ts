import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import { DEADLINE_HEADER, type LocalRequest } from '@trellis/kit';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSubgraph, localFetch, subgraphFetcher } from './fetcher.js';

describe('subgraphFetcher', () => {
  let server: Server;
  let url: string;
  const seen: { method?: string; header?: string; body: string }[] = [];
  const agent = new Agent();
  const fetcher = subgraphFetcher(agent);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, header: req.headers['x-trellis-caller'] as string, body });
        const failing = req.url === '/down';
        res.writeHead(failing ? 503 : 200, {
          'content-type': 'application/json',
          'cache-control': 'max-age=0',
        });
        res.end(JSON.stringify(failing ? { error: 'down' } : { data: { ok: true } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((r) => server.close(r));
  });

  it('sends method, headers and body, and answers status, headers and JSON', async () => {
    const res = await fetcher(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trellis-caller': 'signed' },
      body: '{"query":"{ ok }"}',
    });
    expect(seen.at(-1)).toEqual({ method: 'POST', header: 'signed', body: '{"query":"{ ok }"}' });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('max-age=0');
    expect(await res.json()).toEqual({ data: { ok: true } });
    expect(await res.text()).toBe('{"data":{"ok":true}}');
  });

  it('answers a failing subgraph as not ok, with its body', async () => {
    const res = await fetcher(`${url}/down`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'down' });
  });
});

describe('localFetch, a subgraph of this process', () => {
  const answer = { data: { ok: true } };
  const received: LocalRequest[] = [];
  const local: LocalSubgraph = async (request) => {
    received.push(request);
    return {
      status: 200,
      headers: new HeaderMap([['content-type', 'application/json']]),
      result: answer,
    };
  };
  const frozen: LocalSubgraph = () => new Promise(() => {});

  it('hands the request and the answer over as the objects themselves', async () => {
    const body = { query: '{ ok }', variables: { representations: [{ id: '1' }] } };
    const headers = { 'content-type': 'application/json', 'x-trellis-caller': 'signed' };
    const res = await localFetch(local, headers, body);
    expect(received.at(-1)).toEqual({ headers, body });
    expect(received.at(-1)!.body).toBe(body);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.result).toBe(answer);
    expect(await res.json()).toBe(answer);
    expect(await res.text()).toBe('{"data":{"ok":true}}');
  });

  it('gives up on a subgraph that does not answer when the fetch deadline passes', async () => {
    const started = Date.now();
    await expect(localFetch(frozen, { [DEADLINE_HEADER]: '50' }, {})).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
