import { v5 as uuidv5 } from 'uuid';
import { PrismaClient as CatalogClient } from '../../catalog/generated/client.ts';
import { PrismaClient as OrgGraphClient } from '../../org-graph/generated/client.ts';
import type { Database } from '../database.js';

// Seed ids are derived from names, so they are the same on every machine (docs and tests cite them).
const NAMESPACE = '6f1c1a52-3c1e-4f7a-9a43-0d6c2b8f0e11';
export const demoId = (kind: string, key: string) => uuidv5(`${kind}:${key}`, NAMESPACE);

type OrgType = 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';
interface OrgSeed {
  key: string;
  name: string;
  type: OrgType;
  country: string;
}

export const DEMO_ORGS: OrgSeed[] = [
  { key: 'acme', name: 'Acme Climate Systems', type: 'MANUFACTURER', country: 'DE' },
  { key: 'borealis', name: 'Borealis Appliances', type: 'MANUFACTURER', country: 'US' },
  { key: 'nordic', name: 'Nordic HVAC Distribution', type: 'DISTRIBUTOR', country: 'SE' },
  { key: 'rheinland', name: 'Rheinland Technik Vertrieb', type: 'DISTRIBUTOR', country: 'DE' },
  { key: 'pacific', name: 'Pacific Appliance Supply', type: 'DISTRIBUTOR', country: 'US' },
  { key: 'atlantic', name: 'Atlantic Home Wholesale', type: 'DISTRIBUTOR', country: 'US' },
  { key: 'stockholm-klimat', name: 'Stockholm Klimat AB', type: 'DEALER', country: 'SE' },
  { key: 'oslo-varme', name: 'Oslo Varme AS', type: 'DEALER', country: 'NO' },
  { key: 'helsinki-ilma', name: 'Helsinki Ilma Oy', type: 'DEALER', country: 'FI' },
  { key: 'koeln-klima', name: 'Köln Klima GmbH', type: 'DEALER', country: 'DE' },
  { key: 'wien-waerme', name: 'Wien Wärme GmbH', type: 'DEALER', country: 'AT' },
  { key: 'zuerich-luft', name: 'Zürich Luft AG', type: 'DEALER', country: 'CH' },
  { key: 'bay-area-home', name: 'Bay Area Home Appliances', type: 'DEALER', country: 'US' },
  { key: 'seattle-kitchens', name: 'Seattle Kitchen Center', type: 'DEALER', country: 'US' },
  { key: 'brooklyn-appliance', name: 'Brooklyn Appliance Co.', type: 'DEALER', country: 'US' },
  { key: 'london-comfort', name: 'London Comfort Ltd', type: 'DEALER', country: 'GB' },
  { key: 'frostfix', name: 'FrostFix Service GmbH', type: 'SERVICE_PARTNER', country: 'DE' },
  { key: 'coastcare', name: 'CoastCare Repairs', type: 'SERVICE_PARTNER', country: 'US' },
];

type Rel = [
  from: string,
  type: 'DISTRIBUTOR_OF' | 'DEALER_OF' | 'SERVICE_PARTNER_OF',
  to: string,
  territories: string[],
];
export const DEMO_RELATIONSHIPS: Rel[] = [
  ['nordic', 'DISTRIBUTOR_OF', 'acme', ['SE', 'NO', 'DK', 'FI']],
  ['rheinland', 'DISTRIBUTOR_OF', 'acme', ['DE', 'AT', 'CH']],
  ['atlantic', 'DISTRIBUTOR_OF', 'acme', ['GB', 'IE']],
  ['pacific', 'DISTRIBUTOR_OF', 'borealis', ['US-CA', 'US-OR', 'US-WA']],
  ['atlantic', 'DISTRIBUTOR_OF', 'borealis', ['US-NY', 'US-NJ', 'US-MA']],
  ['stockholm-klimat', 'DEALER_OF', 'nordic', ['SE']],
  ['oslo-varme', 'DEALER_OF', 'nordic', ['NO']],
  ['helsinki-ilma', 'DEALER_OF', 'nordic', ['FI']],
  ['koeln-klima', 'DEALER_OF', 'rheinland', ['DE']],
  ['koeln-klima', 'DEALER_OF', 'acme', ['DE']],
  ['wien-waerme', 'DEALER_OF', 'rheinland', ['AT']],
  ['zuerich-luft', 'DEALER_OF', 'rheinland', ['CH']],
  ['bay-area-home', 'DEALER_OF', 'pacific', ['US-CA']],
  ['seattle-kitchens', 'DEALER_OF', 'pacific', ['US-WA']],
  ['brooklyn-appliance', 'DEALER_OF', 'atlantic', ['US-NY']],
  ['london-comfort', 'DEALER_OF', 'atlantic', ['GB']],
  ['frostfix', 'SERVICE_PARTNER_OF', 'acme', ['DE', 'AT']],
  ['coastcare', 'SERVICE_PARTNER_OF', 'borealis', ['US-CA', 'US-OR']],
];

const CERTIFICATIONS: [org: string, code: string][] = [
  ['rheinland', 'F-GAS'],
  ['nordic', 'F-GAS'],
  ['koeln-klima', 'F-GAS'],
  ['frostfix', 'F-GAS'],
  ['frostfix', 'HEAT-PUMP-L2'],
  ['pacific', 'EPA-608'],
  ['coastcare', 'EPA-608'],
  ['bay-area-home', 'EPA-608'],
];

interface ChannelSeed {
  code: string;
  name: string;
  owner: string;
  currency: string;
  regions: string[];
  members: string[];
}
export const DEMO_CHANNELS: ChannelSeed[] = [
  {
    code: 'ACME-DIRECT-EU',
    name: 'Acme Direct Europe',
    owner: 'acme',
    currency: 'EUR',
    regions: ['DE', 'AT', 'CH', 'SE', 'NO', 'FI'],
    members: ['rheinland', 'nordic', 'koeln-klima'],
  },
  {
    code: 'ACME-NORDIC',
    name: 'Acme via Nordic HVAC',
    owner: 'nordic',
    currency: 'EUR',
    regions: ['SE', 'NO', 'DK', 'FI'],
    members: ['stockholm-klimat', 'oslo-varme', 'helsinki-ilma'],
  },
  {
    code: 'ACME-DACH',
    name: 'Acme via Rheinland',
    owner: 'rheinland',
    currency: 'EUR',
    regions: ['DE', 'AT', 'CH'],
    members: ['koeln-klima', 'wien-waerme', 'zuerich-luft', 'frostfix'],
  },
  {
    code: 'ACME-UK',
    name: 'Acme UK & Ireland',
    owner: 'atlantic',
    currency: 'GBP',
    regions: ['GB', 'IE'],
    members: ['london-comfort'],
  },
  {
    code: 'BOREALIS-DIRECT-US',
    name: 'Borealis Direct',
    owner: 'borealis',
    currency: 'USD',
    regions: ['US'],
    members: ['pacific', 'atlantic'],
  },
  {
    code: 'BOREALIS-WEST',
    name: 'Borealis West Coast',
    owner: 'pacific',
    currency: 'USD',
    regions: ['US-CA', 'US-OR', 'US-WA'],
    members: ['bay-area-home', 'seattle-kitchens'],
  },
  {
    code: 'BOREALIS-EAST',
    name: 'Borealis East Coast',
    owner: 'atlantic',
    currency: 'USD',
    regions: ['US-NY', 'US-NJ', 'US-MA'],
    members: ['brooklyn-appliance'],
  },
  {
    code: 'BOREALIS-PRO',
    name: 'Borealis Pro Service Parts',
    owner: 'borealis',
    currency: 'USD',
    regions: ['US'],
    members: ['coastcare', 'bay-area-home'],
  },
];

const PRODUCT_LINES: Record<string, [name: string, variants: [suffix: string, name: string][]][]> =
  {
    acme: [
      [
        'AeroHeat Air-to-Water Heat Pump',
        [
          ['6KW', '6 kW'],
          ['9KW', '9 kW'],
          ['12KW', '12 kW'],
        ],
      ],
      [
        'AeroCool Split AC',
        [
          ['2.5KW', '2.5 kW'],
          ['3.5KW', '3.5 kW'],
          ['5KW', '5 kW'],
        ],
      ],
      [
        'ThermaFlow Gas Boiler',
        [
          ['24', '24 kW'],
          ['30', '30 kW'],
          ['35', '35 kW'],
        ],
      ],
      [
        'VentoPure MVHR Unit',
        [
          ['S', 'small home'],
          ['M', 'medium home'],
          ['L', 'large home'],
        ],
      ],
      [
        'HydroTank Hot Water Cylinder',
        [
          ['150L', '150 l'],
          ['200L', '200 l'],
          ['300L', '300 l'],
        ],
      ],
      [
        'SmartStat Thermostat',
        [
          ['BASIC', 'basic'],
          ['WIFI', 'Wi-Fi'],
          ['PRO', 'pro'],
        ],
      ],
      [
        'AeroHeat Indoor Module',
        [
          ['STD', 'standard'],
          ['BUF', 'with buffer'],
          ['DUO', 'dual zone'],
        ],
      ],
      [
        'RadiantFloor Manifold',
        [
          ['4', '4 loops'],
          ['8', '8 loops'],
          ['12', '12 loops'],
        ],
      ],
      [
        'Refrigerant Line Set',
        [
          ['5M', '5 m'],
          ['10M', '10 m'],
          ['15M', '15 m'],
        ],
      ],
      [
        'Condensate Pump',
        [
          ['MINI', 'mini'],
          ['STD', 'standard'],
          ['HD', 'heavy duty'],
        ],
      ],
    ],
    borealis: [
      [
        'Frostline French-Door Refrigerator',
        [
          ['28', '28 cu ft'],
          ['32', '32 cu ft'],
          ['36', '36 cu ft'],
        ],
      ],
      [
        'Aurora Induction Range',
        [
          ['30', '30 in'],
          ['36', '36 in'],
          ['48', '48 in'],
        ],
      ],
      [
        'Glacier Dishwasher',
        [
          ['STD', 'standard'],
          ['QUIET', 'quiet'],
          ['PRO', 'pro'],
        ],
      ],
      [
        'Tundra Chest Freezer',
        [
          ['7', '7 cu ft'],
          ['10', '10 cu ft'],
          ['15', '15 cu ft'],
        ],
      ],
      [
        'Nimbus Range Hood',
        [
          ['30', '30 in'],
          ['36', '36 in'],
          ['ISL', 'island'],
        ],
      ],
      [
        'Polar Front-Load Washer',
        [
          ['4.5', '4.5 cu ft'],
          ['5.0', '5.0 cu ft'],
          ['STEAM', 'steam'],
        ],
      ],
      [
        'Polar Heat-Pump Dryer',
        [
          ['STD', 'standard'],
          ['XL', 'XL'],
          ['STACK', 'stackable'],
        ],
      ],
      [
        'Crisp Wall Oven',
        [
          ['SGL', 'single'],
          ['DBL', 'double'],
          ['COMBI', 'combi steam'],
        ],
      ],
      [
        'Borealis Water Filter',
        [
          ['1PK', '1 pack'],
          ['3PK', '3 pack'],
          ['6PK', '6 pack'],
        ],
      ],
      [
        'IceMaker Kit',
        [
          ['STD', 'standard'],
          ['DUAL', 'dual'],
          ['CRAFT', 'craft ice'],
        ],
      ],
    ],
  };

// the first of each list is the legacy row of a demo organization (mapped in the seed)
const LEGACY_MANUFACTURERS = [
  { name: 'Acme Climate Systems', country: 'DE', website: 'https://acme-climate.example' },
  { name: 'Borealis Appliances', country: 'US', website: 'https://borealis.example' },
];
const LEGACY_SUPPLIERS = [
  { name: 'Nordic HVAC Distribution', country: 'SE' },
  { name: 'Pacific Appliance Supply', country: 'US' },
];

const orgId = (key: string) => demoId('org', key);
const skuCode = (manufacturer: string, line: number, suffix: string) =>
  `${manufacturer.slice(0, 3).toUpperCase()}-${String(line + 1).padStart(2, '0')}-${suffix.replace(/[^A-Z0-9.]/gi, '')}`;

/** Loads the demo network once; answers false when it is already there. */
export async function seedDemoNetwork(db: Database): Promise<boolean> {
  const org = new OrgGraphClient({ adapter: db.ownerAdapter('org-graph') });
  const catalog = new CatalogClient({ adapter: db.ownerAdapter('catalog') });
  try {
    if (await org.organization.findUnique({ where: { id: orgId('acme') } })) return false;
    const epoch = new Date('2025-01-01T00:00:00Z');
    await org.$transaction(async (tx) => {
      await tx.organization.createMany({
        data: DEMO_ORGS.map((o) => ({
          id: orgId(o.key),
          name: o.name,
          type: o.type,
          externalRef: `demo:${o.key}`,
          attributes: { country: o.country },
        })),
      });
      await tx.orgRelationship.createMany({
        data: DEMO_RELATIONSHIPS.map(([from, type, to, territories]) => ({
          id: demoId('relationship', `${from}>${type}>${to}`),
          fromOrgId: orgId(from),
          toOrgId: orgId(to),
          type,
          territories,
          validFrom: epoch,
          // the demo network is the platform's word (as an administrator's would be): in force
          status: 'ACTIVE',
        })),
      });
      await tx.orgCertification.createMany({
        data: CERTIFICATIONS.map(([o, code]) => ({
          id: demoId('certification', `${o}:${code}`),
          orgId: orgId(o),
          code,
          validUntil: new Date('2030-12-31T00:00:00Z'),
        })),
      });
      await tx.channel.createMany({
        data: DEMO_CHANNELS.map((c) => ({
          id: demoId('channel', c.code),
          ownerOrgId: orgId(c.owner),
          code: c.code,
          name: c.name,
          currency: c.currency,
          regions: c.regions,
        })),
      });
      await tx.channelMember.createMany({
        data: DEMO_CHANNELS.flatMap((c) =>
          c.members.map((m) => ({
            channelId: demoId('channel', c.code),
            orgId: orgId(m),
            status: 'ACTIVE' as const,
            invitedAt: epoch,
            respondedAt: epoch,
          })),
        ),
      });
      const [acme] = await tx.manufacturer.createManyAndReturn({ data: LEGACY_MANUFACTURERS });
      const [nordic] = await tx.supplier.createManyAndReturn({ data: LEGACY_SUPPLIERS });
      // legacy coexistence: the first of each already mapped to its demo organization (by hand),
      // the second not, so `pnpm legacy:backfill` has work in the demo
      await tx.manufacturerProfile.create({
        data: { orgId: orgId('acme'), country: acme!.country, website: acme!.website },
      });
      await tx.manufacturerOrganizationMap.create({
        data: { manufacturerId: acme!.id, orgId: orgId('acme'), source: 'MANUAL' },
      });
      await tx.supplierProfile.create({
        data: { orgId: orgId('nordic'), country: nordic!.country },
      });
      await tx.supplierOrganizationMap.create({
        data: { supplierId: nordic!.id, orgId: orgId('nordic'), source: 'MANUAL' },
      });
    });
    await catalog.$transaction(async (tx) => {
      for (const [manufacturer, lines] of Object.entries(PRODUCT_LINES)) {
        await tx.product.createMany({
          data: lines.map(([name], i) => ({
            id: demoId('product', `${manufacturer}:${i}`),
            manufacturerId: orgId(manufacturer),
            name,
            description: `${name} by ${DEMO_ORGS.find((o) => o.key === manufacturer)!.name}`,
            attributes: { line: i + 1 },
          })),
        });
        await tx.sku.createMany({
          data: lines.flatMap(([name, variants], i) =>
            variants.map(([suffix, label]) => ({
              id: demoId('sku', skuCode(manufacturer, i, suffix)),
              productId: demoId('product', `${manufacturer}:${i}`),
              code: skuCode(manufacturer, i, suffix),
              name: `${name}, ${label}`,
              attributes: { variant: label },
            })),
          ),
        });
      }
    });
    return true;
  } finally {
    await Promise.all([org.$disconnect(), catalog.$disconnect()]);
  }
}

export const demoOrgId = orgId;
