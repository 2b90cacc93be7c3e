import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { type Agent, request } from 'undici';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/**
 * How the gateway calls subgraphs: undici's `request` over keep-alive connections, answered
 * in the shape Apollo's data source reads (status, headers, the body as text or JSON). Apollo's
 * default client (make-fetch-happen) spends about twice as long per call on loopback (0.85 ms
 * against 0.43 ms for an empty query), and a flagship request makes three calls in a row.
 */
export function subgraphFetcher(dispatcher: Agent): Fetcher {
  return async (url, init) => {
    const res = await request(url, {
      method: (init?.method ?? 'POST') as 'POST',
      headers: init?.headers,
      body: init?.body,
      dispatcher,
    });
    const text = await res.body.text();
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response: FetcherResponse = {
      bodyUsed: true,
      url,
      redirected: false,
      status: res.statusCode,
      ok: res.statusCode >= 200 && res.statusCode < 300,
      statusText: '',
      headers,
      text: async () => text,
      json: async () => JSON.parse(text),
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
      clone: () => response,
    };
    return response;
  };
}
