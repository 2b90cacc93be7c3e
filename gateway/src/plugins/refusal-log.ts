import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@trellis/kit';
import type { GatewayContext } from '../context.js';

const REFUSALS = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * Refusals are security events: logged with the request id, the subject and the organization,
 * never with the token or the document's variables.
 */
export function refusalLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async contextCreationDidFail({ error }) {
      logger.warn(
        { code: (error as { extensions?: { code?: unknown } }).extensions?.code },
        'request refused at the edge: authentication failed',
      );
    },
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          const refused = errors
            .map((e) => e.extensions?.code)
            .filter((c) => typeof c === 'string' && REFUSALS.has(c));
          if (refused.length === 0) return;
          logger.warn(
            {
              requestId: contextValue.requestId,
              subject: contextValue.caller.subject,
              org: contextValue.caller.orgId,
              codes: refused,
            },
            'request refused: not authorized',
          );
        },
      };
    },
  };
}
