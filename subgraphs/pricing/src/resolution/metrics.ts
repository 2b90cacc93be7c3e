import type { RequestContext } from '@trellis/kit';
import type { PriceDecision } from './resolve.js';

/** Logs every decision (debug: each one with its winning rule; info: one line per batch) and counts them. */
export function observeDecisions(base: RequestContext) {
  const counter = base.metrics.counter(
    'price_resolutions_total',
    'Price resolutions answered, by winning scope and reason',
    ['scope', 'reason'] as const,
  );
  return (decisions: readonly PriceDecision[]) => {
    const tally: Record<string, number> = {};
    for (const d of decisions) {
      const scope = d.scope ?? 'NONE';
      tally[`${d.reason}:${scope}`] = (tally[`${d.reason}:${scope}`] ?? 0) + 1;
    }
    for (const [key, count] of Object.entries(tally)) {
      const [reason, scope] = key.split(':') as [string, string];
      counter.inc({ scope, reason }, count);
    }
    // a line per decision only when asked for (a page of prices is a hundred of them)
    if (base.logger.isLevelEnabled('debug')) {
      for (const d of decisions)
        base.logger.debug(
          {
            event: 'price.resolved',
            skuId: d.request.skuId,
            orgId: d.request.orgId,
            channelId: d.request.channelId,
            at: d.request.at,
            quantity: d.request.quantity,
            currency: d.request.currency,
            reason: d.reason,
            scope: d.scope,
            ruleId: d.rule?.id ?? null,
            priceBookId: d.rule?.book.id ?? null,
            amount: d.price?.amount ?? null,
            candidates: d.explanation.length,
          },
          'price resolved',
        );
    }
    base.logger.info(
      {
        event: 'price.batch',
        count: decisions.length,
        outcomes: tally,
        first: decisions[0]
          ? {
              skuId: decisions[0].request.skuId,
              reason: decisions[0].reason,
              ruleId: decisions[0].rule?.id ?? null,
            }
          : null,
      },
      'prices resolved',
    );
  };
}
