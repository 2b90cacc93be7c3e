import type { ApolloServerPlugin } from '@apollo/server';
import { badInput } from '@trellis/kit';
import type { GatewayContext } from '../context.js';

/**
 * The Idempotency-Key header names one write: a request with several mutations is refused
 * (HTTP 400), and a query does not forward the key.
 */
export function idempotencyKeyPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          if (!operation || !contextValue.idempotencyKey) return;
          if (operation.operation !== 'mutation') {
            contextValue.idempotencyKey = undefined;
          } else if (operation.selectionSet.selections.length !== 1) {
            throw badInput(
              'Idempotency-Key',
              'the Idempotency-Key header applies to a request with exactly one mutation',
              { http: { status: 400 } },
            );
          }
        },
      };
    },
  };
}
