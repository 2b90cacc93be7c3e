import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';

/** The keep-alive connections to the subgraphs are closed when the gateway stops. */
export function subgraphConnectionsPlugin(connections: {
  close(): Promise<void>;
}): ApolloServerPlugin<GatewayContext> {
  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          await connections.close();
        },
      };
    },
  };
}
