import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { REQUEST_ID_HEADER } from '@trellis/kit';
import type { GatewayContext } from '../context.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The client's X-Request-Id when it looks like an id (it reaches the logs and every
 * subgraph), else a fresh one.
 */
export const requestIdOf = (incoming: string | undefined): string =>
  incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();

/** Every answer carries the request's id in X-Request-Id, so a client can quote it. */
export function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
        },
      };
    },
  };
}
