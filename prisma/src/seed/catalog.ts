import { PrismaClient as CatalogClient, type Prisma } from '../../catalog/generated/client.ts';
import type { Database } from '../database.js';
import { DEMO_ORGS, demoId, demoOrgId } from './demo.js';

// Offerings and published channel catalogs on top of the demo network (seed/demo.ts):
// - every manufacturer offers all of its SKUs; every distributor offers the SKUs of the first
//   five product lines of the manufacturers it distributes (Atlantic: both);
// - Acme's heat-pump offerings have two versions; Acme's split-AC offerings carry unpublished
//   draft changes; Atlantic's Acme condensate-pump offerings were never published (DRAFT);
// - every channel has a published catalog; ACME-DIRECT-EU has five versions (publish, publish,
//   republish at newer offering versions, unlist, and a publish scheduled a week ahead),
//   BOREALIS-DIRECT-US three (publish, unlist, rollback to 1).
// Times are relative to when the seed runs (whole minutes); ids are derived from names.
// docs/catalog-lifecycle.md ("The demo catalogs") describes them.

const DAY = 86_400_000;
/** when offerings' versions were published (days relative to the seed's time) */
const FIRST_VERSION_DAY = -40;
const SECOND_VERSION_DAY = -10;

interface EntrySeed {
  offeringId: string;
  offeringVersionId: string;
  offeringVersionNo: number;
  skuId: string;
  sellerOrgId: string;
}

export const demoOfferingId = (seller: string, skuCode: string) =>
  demoId('offering', `${seller}:${skuCode}`);
export const demoCatalogVersionId = (channelCode: string, version: number) =>
  demoId('catalog-version', `${channelCode}:${version}`);
const offeringVersionId = (seller: string, skuCode: string, version: number) =>
  demoId('offering-version', `${seller}:${skuCode}:${version}`);

/**
 * A seeded entry's id: deterministic (from the names) and time-ordered like the ids the
 * subgraph mints, so a version's entries sort in listing order.
 */
function entryId(channelCode: string, version: number, position: number, offeringKey: string) {
  const tail = demoId('catalog-entry', `${channelCode}:${version}:${offeringKey}`).replace(
    /-/g,
    '',
  );
  const ms = Date.UTC(2025, 0, 1) + version * 100_000 + position;
  const variant = ((Number.parseInt(tail[16]!, 16) & 0x3) | 0x8).toString(16);
  const hex = `${ms.toString(16).padStart(12, '0')}7${tail.slice(13, 16)}${variant}${tail.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Who offers which product lines of which manufacturer. */
const OFFERS: [seller: string, manufacturer: string, lines: number[]][] = [
  ['acme', 'acme', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['borealis', 'borealis', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['nordic', 'acme', [0, 1, 2, 3, 4]],
  ['rheinland', 'acme', [0, 1, 2, 3, 4]],
  ['atlantic', 'acme', [0, 1, 2, 3, 4, 9]],
  ['atlantic', 'borealis', [0, 1, 2, 3, 4]],
  ['pacific', 'borealis', [0, 1, 2, 3, 4]],
];
/** offerings with a second version: [seller, manufacturer, line] */
const TWO_VERSIONS: [string, string, number][] = [['acme', 'acme', 0]];
/** offerings whose draft was edited after publishing */
const EDITED_DRAFTS: [string, string, number][] = [['acme', 'acme', 1]];
/** offerings never published */
const DRAFT_ONLY: [string, string, number][] = [['atlantic', 'acme', 9]];

type Selection = [seller: string, manufacturer: string, lines: number[]];
interface VersionSeed {
  kind: 'PUBLISH' | 'UNLIST' | 'ROLLBACK';
  /** days relative to the seed's time */
  publishedDay: number;
  /** scheduled: days relative to the seed's time (default: publishedDay) */
  effectiveDay?: number;
  offerings?: Selection[];
  toVersion?: number;
}

const CATALOGS: Record<string, { owner: string; versions: VersionSeed[] }> = {
  'ACME-DIRECT-EU': {
    owner: 'acme',
    versions: [
      { kind: 'PUBLISH', publishedDay: -30, offerings: [['acme', 'acme', [0, 1, 2, 3, 4]]] },
      { kind: 'PUBLISH', publishedDay: -14, offerings: [['acme', 'acme', [5, 6, 7, 8, 9]]] },
      { kind: 'PUBLISH', publishedDay: -7, offerings: [['acme', 'acme', [0]]] },
      { kind: 'UNLIST', publishedDay: -2, offerings: [['acme', 'acme', [9]]] },
      {
        kind: 'PUBLISH',
        publishedDay: -1,
        effectiveDay: 7,
        offerings: [['rheinland', 'acme', [0, 1, 2, 3, 4]]],
      },
    ],
  },
  'BOREALIS-DIRECT-US': {
    owner: 'borealis',
    versions: [
      {
        kind: 'PUBLISH',
        publishedDay: -30,
        offerings: [['borealis', 'borealis', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]],
      },
      { kind: 'UNLIST', publishedDay: -7, offerings: [['borealis', 'borealis', [9]]] },
      { kind: 'ROLLBACK', publishedDay: -1, toVersion: 1 },
    ],
  },
  'ACME-NORDIC': {
    owner: 'nordic',
    versions: [
      { kind: 'PUBLISH', publishedDay: -20, offerings: [['nordic', 'acme', [0, 1, 2, 3, 4]]] },
    ],
  },
  'ACME-DACH': {
    owner: 'rheinland',
    versions: [
      { kind: 'PUBLISH', publishedDay: -20, offerings: [['rheinland', 'acme', [0, 1, 2, 3, 4]]] },
    ],
  },
  'ACME-UK': {
    owner: 'atlantic',
    versions: [
      { kind: 'PUBLISH', publishedDay: -20, offerings: [['atlantic', 'acme', [0, 1, 2, 3, 4]]] },
    ],
  },
  'BOREALIS-WEST': {
    owner: 'pacific',
    versions: [
      { kind: 'PUBLISH', publishedDay: -20, offerings: [['pacific', 'borealis', [0, 1, 2, 3, 4]]] },
    ],
  },
  'BOREALIS-EAST': {
    owner: 'atlantic',
    versions: [
      {
        kind: 'PUBLISH',
        publishedDay: -20,
        offerings: [['atlantic', 'borealis', [0, 1, 2, 3, 4]]],
      },
    ],
  },
  'BOREALIS-PRO': {
    owner: 'borealis',
    versions: [
      { kind: 'PUBLISH', publishedDay: -20, offerings: [['borealis', 'borealis', [8, 9]]] },
    ],
  },
};

const has = (
  list: [string, string, number][],
  seller: string,
  manufacturer: string,
  line: number,
) => list.some(([s, m, l]) => s === seller && m === manufacturer && l === line);

/**
 * Adds the demo offerings and channel catalogs (after `seedDemo`); answers false when they are
 * already there.
 */
export async function seedCatalogPublishing(db: Database): Promise<boolean> {
  const catalog = new CatalogClient({ adapter: db.ownerAdapter('catalog') });
  try {
    if (await catalog.offering.findUnique({ where: { id: demoOfferingId('acme', 'ACM-01-6KW') } }))
      return false;
    const base = Math.floor(Date.now() / 60_000) * 60_000;
    const at = (day: number) => new Date(base + day * DAY);

    // the SKUs of each product line, in variant order
    const lineSkus = new Map<string, { id: string; code: string; name: string }[]>();
    for (const manufacturer of ['acme', 'borealis']) {
      for (let line = 0; line < 10; line++) {
        const skus = await catalog.sku.findMany({
          where: { productId: demoId('product', `${manufacturer}:${line}`) },
          select: { id: true, code: true, name: true },
        });
        skus.sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true }));
        lineSkus.set(`${manufacturer}:${line}`, skus);
      }
    }
    const orgName = (key: string) => DEMO_ORGS.find((o) => o.key === key)!.name;

    const offerings: Prisma.OfferingCreateManyInput[] = [];
    const versions: Prisma.OfferingVersionCreateManyInput[] = [];
    /** offering key (seller:SKU code) → the entry listing its latest published version */
    const latest = new Map<string, EntrySeed>();
    for (const [seller, manufacturer, lines] of OFFERS) {
      for (const line of lines) {
        for (const sku of lineSkus.get(`${manufacturer}:${line}`) ?? []) {
          const id = demoOfferingId(seller, sku.code);
          const own = seller === manufacturer;
          const v1 = {
            name: sku.name,
            description: `${sku.name}, sold by ${orgName(seller)}`,
            terms: own
              ? { leadTimeDays: 10, minOrderQuantity: 1, warrantyMonths: 24, incoterm: 'EXW' }
              : { leadTimeDays: 3, minOrderQuantity: 1, warrantyMonths: 24, incoterm: 'DAP' },
          };
          const contents = [v1];
          if (has(TWO_VERSIONS, seller, manufacturer, line))
            contents.push({
              ...v1,
              description: `${v1.description}; now with a 36-month warranty`,
              terms: { ...v1.terms, warrantyMonths: 36 },
            });
          const draftOnly = has(DRAFT_ONLY, seller, manufacturer, line);
          const published = draftOnly ? [] : contents;
          const draft = has(EDITED_DRAFTS, seller, manufacturer, line)
            ? { ...contents.at(-1)!, description: `${v1.description} (new installation kit)` }
            : contents.at(-1)!;
          offerings.push({
            id,
            sellerOrgId: demoOrgId(seller),
            skuId: sku.id,
            status: published.length ? 'PUBLISHED' : 'DRAFT',
            draftName: draft.name,
            draftDescription: draft.description,
            draftTerms: draft.terms,
            latestVersion: published.length || null,
            createdAt: at(-45),
            updatedAt: at(-5),
          });
          published.forEach((content, i) => {
            versions.push({
              id: offeringVersionId(seller, sku.code, i + 1),
              offeringId: id,
              version: i + 1,
              ...content,
              publishedAt: at(i === 0 ? FIRST_VERSION_DAY : SECOND_VERSION_DAY),
              publishedBy: 'demo-seed',
            });
          });
          if (published.length)
            latest.set(`${seller}:${sku.code}`, {
              offeringId: id,
              offeringVersionId: offeringVersionId(seller, sku.code, published.length),
              offeringVersionNo: published.length,
              skuId: sku.id,
              sellerOrgId: demoOrgId(seller),
            });
        }
      }
    }
    // the offering's version a publish on that day lists: the latest published by then
    const asOf = (key: string, day: number): EntrySeed => {
      const entry = latest.get(key)!;
      if (entry.offeringVersionNo < 2 || day >= SECOND_VERSION_DAY) return entry;
      const [seller, code] = key.split(':') as [string, string];
      return {
        ...entry,
        offeringVersionId: offeringVersionId(seller, code, 1),
        offeringVersionNo: 1,
      };
    };
    const keysOf = (selections: Selection[]) =>
      selections.flatMap(([seller, manufacturer, lines]) =>
        lines.flatMap((line) =>
          (lineSkus.get(`${manufacturer}:${line}`) ?? []).map((s) => `${seller}:${s.code}`),
        ),
      );

    const heads: Prisma.ChannelCatalogCreateManyInput[] = [];
    const catalogVersions: Prisma.CatalogVersionCreateManyInput[] = [];
    const entries: Prisma.CatalogEntryCreateManyInput[] = [];
    const effective: Prisma.CatalogVersionEffectiveCreateManyInput[] = [];
    for (const [code, { owner, versions: seeds }] of Object.entries(CATALOGS)) {
      const channelId = demoId('channel', code);
      // each version's entries in listing order, as the subgraph builds them
      const history: [key: string, entry: EntrySeed][][] = [];
      seeds.forEach((seed, i) => {
        const version = i + 1;
        const previous = history.at(-1) ?? [];
        const changed = keysOf(seed.offerings ?? []);
        let listed: [string, EntrySeed][];
        if (seed.kind === 'PUBLISH') {
          const next = new Map(changed.map((k) => [k, asOf(k, seed.publishedDay)]));
          listed = previous.map(([k, e]) => [k, next.get(k) ?? e]);
          for (const [k, e] of next) if (!previous.some(([p]) => p === k)) listed.push([k, e]);
        } else if (seed.kind === 'UNLIST') {
          listed = previous.filter(([k]) => !changed.includes(k));
        } else {
          listed = [...history[(seed.toVersion ?? 1) - 1]!];
        }
        history.push(listed);
        const id = demoCatalogVersionId(code, version);
        const publishedAt = at(seed.publishedDay);
        const effectiveAt = at(seed.effectiveDay ?? seed.publishedDay);
        catalogVersions.push({
          id,
          channelId,
          version,
          kind: seed.kind,
          rolledBackTo: seed.toVersion ?? null,
          changedOfferingIds: changed.map((k) => latest.get(k)!.offeringId),
          entryCount: listed.length,
          publishedAt,
          effectiveAt,
          publishedBy: 'demo-seed',
          publishedByOrgId: demoOrgId(owner),
          requestId: 'demo-seed',
        });
        listed.forEach(([key, entry], position) => {
          entries.push({
            id: entryId(code, version, position, key),
            catalogVersionId: id,
            channelId,
            version,
            ...entry,
          });
        });
        // versions already in force are recorded as such; the scheduler takes the others
        if (effectiveAt.getTime() <= base)
          effective.push({
            catalogVersionId: id,
            channelId,
            version,
            effectiveAt,
            recordedAt: effectiveAt,
          });
      });
      const last = seeds.at(-1)!;
      heads.push({
        channelId,
        latestVersion: seeds.length,
        latestEffectiveAt: at(last.effectiveDay ?? last.publishedDay),
        updatedAt: at(last.publishedDay),
      });
    }

    await catalog.$transaction(async (tx) => {
      await tx.offering.createMany({ data: offerings });
      await tx.offeringVersion.createMany({ data: versions });
      await tx.channelCatalog.createMany({ data: heads });
      await tx.catalogVersion.createMany({ data: catalogVersions });
      await tx.catalogEntry.createMany({ data: entries });
      await tx.catalogVersionEffective.createMany({ data: effective });
    });
    return true;
  } finally {
    await catalog.$disconnect();
  }
}
