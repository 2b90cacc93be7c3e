import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';

/**
 * A document whose operation cannot be chosen (no operation of that name, or several and no
 * operationName) is refused with HTTP 400: Apollo's own answer when there is no schema
 * executor in between, which the gateway is not.
 */
export function operationResolutionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          throw new GraphQLError(
            request.operationName
              ? `the document has no operation named "${request.operationName}"`
              : 'the document has several operations: name one in operationName',
            { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
