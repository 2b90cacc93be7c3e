// Flags and scopes are declared in the SDL (`@feature`, `@scope`) and enforced once by the kit:
// this walks every subgraph's SDL, feature folder by feature folder, and the resolvers, so a
// new field cannot go unguarded by accident (and no resolver checks a flag or scope by hand).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Guard, guardsOf, mutationsWithoutCommand } from '@trellis/kit';
import { SUBGRAPHS } from '@trellis/runner';
import { buildASTSchema, type DefinitionNode, type FieldDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

const SUBGRAPHS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'subgraphs');

function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__generated__' ? [] : filesIn(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

/** Each subgraph's schema as it is served: its SDL with the kit's directives (no resolvers). */
const guards = new Map<string, Map<string, Guard>>(
  SUBGRAPHS.map((s) => [s.name, guardsOf(buildASTSchema(s.typeDefs, { assumeValidSDL: true }))]),
);
const guardOf = (subgraph: string, coordinate: string): Guard | undefined =>
  guards.get(subgraph)?.get(coordinate);

const ROOTS = new Set(['Query', 'Mutation']);
const isResolvableEntity = (d: DefinitionNode) =>
  (d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension') &&
  d.directives?.some(
    (k) =>
      k.name.value === 'key' &&
      !k.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === 'BooleanValue'),
  );

/**
 * Entities whose reference needs no flag: org-graph owns channels (catalog answers its flagged
 * fields for any channel id), and a catalog entry's key carries everything pricing needs (its
 * flagged field is `price`). Their own fields are checked instead.
 */
const OPEN_REFERENCES = new Set(['catalog Channel', 'pricing CatalogEntry']);

/** Every root field and resolvable entity of a feature folder, with its fields where checked. */
function itemsOf(subgraph: string, file: string): string[] {
  const items: string[] = [];
  for (const d of parse(readFileSync(file, 'utf8')).definitions) {
    if (d.kind !== 'ObjectTypeDefinition' && d.kind !== 'ObjectTypeExtension') continue;
    const type = d.name.value;
    const fields = (d.fields ?? []) as readonly FieldDefinitionNode[];
    if (ROOTS.has(type)) items.push(...fields.map((f) => `${type}.${f.name.value}`));
    else if (isResolvableEntity(d)) {
      if (OPEN_REFERENCES.has(`${subgraph} ${type}`)) {
        const key = new Set(['id', 'channelId', 'skuId']);
        items.push(
          ...fields.filter((f) => !key.has(f.name.value)).map((f) => `${type}.${f.name.value}`),
        );
      } else items.push(type);
    } else if (d.kind === 'ObjectTypeExtension') {
      // fields a feature adds to another feature's entity (Organization.channels)
      items.push(...fields.map((f) => `${type}.${f.name.value}`));
    }
  }
  return items;
}

const subgraphNames = SUBGRAPHS.map((s) => s.name);
const featureFiles = subgraphNames.flatMap((subgraph) =>
  filesIn(join(SUBGRAPHS_DIR, subgraph, 'src'), '.graphql').map((file) => ({
    subgraph,
    file,
    folder: relative(join(SUBGRAPHS_DIR, subgraph, 'src'), dirname(file)),
  })),
);

describe('guard directives over every subgraph', () => {
  it('every Mutation field needs a scope (@scope)', () => {
    const mutations = subgraphNames.flatMap((subgraph) =>
      mutationsOf(subgraph).map((c) => ({ subgraph, c, scopes: guardOf(subgraph, c)?.scopes })),
    );
    expect(mutations.length).toBeGreaterThanOrEqual(26);
    expect(mutations.filter((m) => !m.scopes?.length)).toEqual([]);
  });

  it('every Mutation field is a command (validate, authorize, one transaction, audit, events)', () => {
    const notCommands = SUBGRAPHS.flatMap((s) => {
      const Mutation = Object.assign(
        {},
        ...s.features.map((f) => (f as { Mutation?: object }).Mutation ?? {}),
      );
      return mutationsWithoutCommand(s.typeDefs, { Mutation }).map((f) => `${s.name} ${f}`);
    });
    expect(notCommands).toEqual([]);
  });

  it('no resolver writes, audits or emits by hand (the command helper does)', () => {
    const handWritten = /\b(writeOnce|writeAudit|emitEvent|inTenantTransaction)\(/;
    const offenders = subgraphNames.flatMap((subgraph) =>
      filesIn(join(SUBGRAPHS_DIR, subgraph, 'src'), 'resolvers.ts')
        .filter((f) => handWritten.test(readFileSync(f, 'utf8')))
        .map((f) => relative(SUBGRAPHS_DIR, f).split(sep).join('/')),
    );
    expect(offenders).toEqual([]);
  });

  it('every root field, entity and added field of a flagged feature carries its flag (@feature)', () => {
    const problems: string[] = [];
    let flagged = 0;
    for (const { subgraph, file, folder } of featureFiles) {
      if (!folder) continue; // schema.graphql: shared root types, checked below
      const items = itemsOf(subgraph, file);
      const flags = new Set(items.flatMap((c) => guardOf(subgraph, c)?.flags ?? []));
      if (flags.size === 0) continue;
      flagged++;
      if (flags.size > 1) problems.push(`${subgraph}/${folder}: several flags ${[...flags]}`);
      for (const c of items) {
        if (!guardOf(subgraph, c)?.flags.length) problems.push(`${subgraph} ${c} (${folder})`);
      }
    }
    expect(problems).toEqual([]);
    expect(flagged).toBe(11);
  });

  it('leaves unflagged only the root fields and entities of features without a flag', () => {
    const unflagged = featureFiles.flatMap(({ subgraph, file }) =>
      itemsOf(subgraph, file)
        .filter((c) => !guardOf(subgraph, c)?.flags.length)
        .map((c) => `${subgraph} ${c}`),
    );
    expect(unflagged.sort()).toEqual(UNFLAGGED);
  });

  it('no resolver checks a flag or a static scope by hand', () => {
    const handWritten = /\bflags\.(require|isEnabled)\(|\brequireScope\(|\w+Enabled\(ctx\)/;
    const offenders = subgraphNames.flatMap((subgraph) =>
      filesIn(join(SUBGRAPHS_DIR, subgraph, 'src'), 'resolvers.ts')
        .filter((f) => handWritten.test(readFileSync(f, 'utf8')))
        .map((f) => relative(SUBGRAPHS_DIR, f).split(sep).join('/')),
    );
    expect(offenders).toEqual([]);
  });
});

/** Every Mutation field of a subgraph's SDL, guarded or not. */
function mutationsOf(subgraph: string): string[] {
  const sdl = SUBGRAPHS.find((s) => s.name === subgraph)!.typeDefs;
  return sdl.definitions.flatMap((d) =>
    (d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension') &&
    d.name.value === 'Mutation'
      ? (d.fields ?? []).map((f) => `Mutation.${f.name.value}`)
      : [],
  );
}

/** Features without a flag (the legacy API, agreements, tickets) and the flags query itself. */
const UNFLAGGED = [
  'agreements Agreement',
  'agreements Mutation.createAgreement',
  'agreements Mutation.createSlaPolicy',
  'agreements Mutation.createWebhookSubscription',
  'agreements Mutation.redeliverWebhook',
  'agreements Mutation.replayWebhooks',
  'agreements Mutation.rotateWebhookSecret',
  'agreements Mutation.updateAgreement',
  'agreements Mutation.updateSlaPolicy',
  'agreements Mutation.updateWebhookSubscription',
  'agreements Query.agreement',
  'agreements Query.agreements',
  'agreements Query.events',
  'agreements Query.slaPolicies',
  'agreements Query.slaPolicy',
  'agreements Query.webhookDeliveries',
  'agreements Query.webhookSubscription',
  'agreements Query.webhookSubscriptions',
  'agreements SlaPolicy',
  'agreements Ticket',
  'agreements WebhookSubscription',
  'org-graph Mutation.createManufacturer',
  'org-graph Mutation.createSupplier',
  'org-graph Mutation.updateManufacturer',
  'org-graph Mutation.updateSupplier',
  'org-graph Query.featureFlags',
  'org-graph Query.manufacturers',
  'org-graph Query.suppliers',
  'service-policy Mutation.createTicket',
  'service-policy Mutation.updateTicketStatus',
  'service-policy Organization',
  'service-policy Organization.tickets',
  'service-policy Query.ticket',
  'service-policy Query.tickets',
  'service-policy Sku',
  'service-policy Sku.tickets',
  'service-policy Ticket',
];
