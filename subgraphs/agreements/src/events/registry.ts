/**
 * The event registry: every event type a slice writes to the outbox, its payload version and
 * JSON Schema, and when it is emitted. docs/events.md is generated from it
 * (`pnpm --filter @trellis/agreements docs`); `registry.test.ts` fails when the document is
 * stale or when the code emits a type the registry does not list.
 *
 * The schemas name the fields receivers may rely on; payloads may carry more
 * (`additionalProperties`), and a change to a listed field is a new version.
 */
export interface EventDefinition {
  type: string;
  /** the payload's version (the webhook envelope's `v`) */
  version: 1;
  /** the slice that emits it */
  slice: string;
  aggregateType: string;
  /** the organization(s) it belongs to, i.e. who sees it and whose subscriptions receive it */
  audience: string;
  when: string;
  schema: JsonSchema;
}

type JsonSchema = {
  type: 'object';
  required: string[];
  properties: Record<
    string,
    { type: string | string[]; format?: string; items?: { type: string } }
  >;
  additionalProperties: true;
};

const uuid = { type: 'string', format: 'uuid' };
const uuidOrNull = { type: ['string', 'null'], format: 'uuid' };
const time = { type: 'string', format: 'date-time' };
const timeOrNull = { type: ['string', 'null'], format: 'date-time' };
const text = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };

/** An object schema whose listed properties are all required. */
const object = (properties: JsonSchema['properties']): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  additionalProperties: true,
});

const relationship = object({
  id: uuid,
  type: text,
  status: text,
  fromOrgId: uuid,
  toOrgId: uuid,
  validFrom: time,
  validTo: timeOrNull,
});
const membership = object({ channelId: uuid, orgId: uuid, status: text });
const ticket = object({ ticketId: uuid });
const priceBook = object({ id: uuid, name: text, orgId: uuidOrNull, channelId: uuidOrNull });
const slaPolicy = object({ slaPolicyId: uuid, version: int, name: text, position: int });
const slaNotice = object({
  ticketId: uuid,
  metric: text,
  dueAt: time,
  slaPolicyId: uuid,
  priority: text,
});
const subscription = object({ v: int, id: uuid, orgId: uuid, url: text, active: bool });

const event = (
  type: string,
  slice: string,
  aggregateType: string,
  audience: string,
  when: string,
  schema: JsonSchema,
): EventDefinition => ({ type, version: 1, slice, aggregateType, audience, when, schema });

export const EVENT_REGISTRY: readonly EventDefinition[] = [
  event(
    'organization.created',
    'org-graph',
    'Organization',
    'the organization',
    'an organization is created',
    object({ id: uuid, name: text, type: text }),
  ),
  event(
    'organization.updated',
    'org-graph',
    'Organization',
    'the organization',
    'a legacy manufacturer or supplier row mirrored by the dual write changes its organization',
    object({ id: uuid, name: text, type: text }),
  ),
  event(
    'relationship.proposed',
    'org-graph',
    'OrgRelationship',
    'both parties',
    'an organization proposes a relationship',
    relationship,
  ),
  event(
    'relationship.created',
    'org-graph',
    'OrgRelationship',
    'both parties',
    'an administrator creates a relationship (ACTIVE at once)',
    relationship,
  ),
  event(
    'relationship.accepted',
    'org-graph',
    'OrgRelationship',
    'both parties',
    'the other party accepts a proposed relationship',
    relationship,
  ),
  event(
    'relationship.declined',
    'org-graph',
    'OrgRelationship',
    'both parties',
    'the other party declines a proposed relationship',
    relationship,
  ),
  event(
    'relationship.ended',
    'org-graph',
    'OrgRelationship',
    'both parties',
    'either party ends a relationship',
    relationship,
  ),
  event(
    'channel.created',
    'org-graph',
    'Channel',
    'the channel owner',
    'a channel is created',
    object({ id: uuid, code: text, ownerOrgId: uuid }),
  ),
  event(
    'channel.member_invited',
    'org-graph',
    'Channel',
    'the owner and the member',
    'a channel owner invites an organization',
    membership,
  ),
  event(
    'channel.member_requested',
    'org-graph',
    'Channel',
    'the owner and the member',
    'an organization asks to join a channel',
    membership,
  ),
  event(
    'channel.member_accepted',
    'org-graph',
    'Channel',
    'the owner and the member',
    'a membership becomes ACTIVE',
    membership,
  ),
  event(
    'channel.member_declined',
    'org-graph',
    'Channel',
    'the owner and the member',
    'an invitation or request is declined',
    membership,
  ),
  event(
    'channel.member_ended',
    'org-graph',
    'Channel',
    'the owner and the member',
    'a membership is ended or withdrawn',
    membership,
  ),
  event(
    'offering.published',
    'catalog',
    'Offering',
    'the seller',
    'a seller publishes a new offering version',
    object({
      offeringId: uuid,
      offeringVersionId: uuid,
      version: int,
      sellerOrgId: uuid,
      skuId: uuid,
      publishedAt: time,
    }),
  ),
  event(
    'catalog.published',
    'catalog',
    'Channel',
    'the channel owner',
    'a channel catalog version is published (or rolled back to)',
    object({ channelId: uuid, version: int, effectiveAt: time }),
  ),
  event(
    'catalog.version_effective',
    'catalog',
    'Channel',
    'the channel owner',
    'a catalog version comes into force (at publish, or at its scheduled time)',
    object({ channelId: uuid, version: int, effectiveAt: time }),
  ),
  event(
    'price_book.created',
    'pricing',
    'PriceBook',
    'the buyer, else the channel owner',
    'a price book is created',
    priceBook,
  ),
  event(
    'price_book.updated',
    'pricing',
    'PriceBook',
    'the buyer, else the channel owner',
    'a price book is changed',
    priceBook,
  ),
  event(
    'price_rule.created',
    'pricing',
    'PriceRule',
    'the book’s audience',
    'a price rule is added to a book',
    object({ id: uuid, priceBookId: uuid }),
  ),
  event(
    'service_policy.created',
    'service-policy',
    'ServicePolicy',
    'the policy owner',
    'a service policy is created',
    object({ policyId: uuid, version: int }),
  ),
  event(
    'service_policy.updated',
    'service-policy',
    'ServicePolicy',
    'the policy owner',
    'a service policy gets a new version',
    object({ policyId: uuid, version: int }),
  ),
  event(
    'ticket.created',
    'service-policy',
    'Ticket',
    'each party of the ticket',
    'a ticket is reported',
    ticket,
  ),
  event(
    'ticket.responsibility_assigned',
    'service-policy',
    'Ticket',
    'each party, the responsible organization included',
    'the engine assigns the responsible organization',
    ticket,
  ),
  event(
    'ticket.status_changed',
    'service-policy',
    'Ticket',
    'each party of the ticket',
    'a ticket changes status (also OPEN → ASSIGNED by an engineer assignment)',
    ticket,
  ),
  event(
    'engineer.assigned',
    'workforce',
    'Ticket',
    'the assigning organization',
    'an engineer is assigned to a ticket',
    object({ ticketId: uuid, engineerId: uuid, assignmentId: uuid, override: bool }),
  ),
  event(
    'agreement.created',
    'agreements',
    'Agreement',
    'each party',
    'an agreement is created',
    object({ id: uuid }),
  ),
  event(
    'agreement.updated',
    'agreements',
    'Agreement',
    'each party',
    'an agreement’s status or terms change',
    object({ id: uuid }),
  ),
  event(
    'sla_policy.created',
    'agreements',
    'SlaPolicy',
    'the owner',
    'an SLA policy is created (version 1)',
    slaPolicy,
  ),
  event(
    'sla_policy.updated',
    'agreements',
    'SlaPolicy',
    'the owner',
    'an SLA policy’s name, position, validity or definition changes (a new version)',
    slaPolicy,
  ),
  event(
    'sla.warning',
    'agreements',
    'Ticket',
    'the ticket’s responsible organization and manufacturer',
    'a ticket’s SLA clock passes the warning share of its target without the metric’s event (once per ticket and metric)',
    slaNotice,
  ),
  event(
    'sla.breached',
    'agreements',
    'Ticket',
    'the ticket’s responsible organization and manufacturer',
    'a ticket’s SLA clock passes its due time without the metric’s event (once per ticket and metric)',
    slaNotice,
  ),
  event(
    'webhook_subscription.created',
    'agreements',
    'WebhookSubscription',
    'the owner',
    'a webhook subscription is created (never its secret)',
    subscription,
  ),
  event(
    'webhook_subscription.updated',
    'agreements',
    'WebhookSubscription',
    'the owner',
    'a subscription’s URL, types, description or state change',
    subscription,
  ),
  event(
    'webhook_subscription.disabled',
    'agreements',
    'WebhookSubscription',
    'the owner',
    'the dispatcher disables a subscription (410 Gone, too many dead deliveries)',
    object({ v: int, id: uuid, url: text, reason: text }),
  ),
];

export const eventDefinition = (type: string) => EVENT_REGISTRY.find((e) => e.type === type);
