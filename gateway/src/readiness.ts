import { type Agent, request } from 'undici';

/** A subgraph's `/ready`, beside its GraphQL endpoint. */
export const readyUrlOf = (graphqlUrl: string) =>
  new URL('/ready', graphqlUrl.replace(/\/graphql$/, '/')).toString();

/**
 * Whether every subgraph says it is ready (its database answers, its migrations are current),
 * asked at most once per `cacheMs` however often the gateway's `/ready` is probed: an
 * orchestrator probing many gateways does not multiply into probes of every subgraph.
 */
export function subgraphReadiness(
  graphqlUrls: readonly string[],
  dispatcher: Agent,
  options: { cacheMs: number; timeoutMs: number },
): () => Promise<boolean> {
  let last: { at: number; ready: Promise<boolean> } | undefined;
  const probe = async () => {
    const answers = await Promise.all(
      graphqlUrls.map(async (url) => {
        try {
          const res = await request(readyUrlOf(url), {
            dispatcher,
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          await res.body.dump();
          return res.statusCode === 200;
        } catch {
          return false;
        }
      }),
    );
    return answers.every(Boolean);
  };
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= options.cacheMs) last = { at: now, ready: probe() };
    return last.ready;
  };
}
