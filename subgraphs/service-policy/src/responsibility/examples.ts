// Worked examples of the chain walk: docs/service-policies.md renders them (docs.ts) and the
// unit tests run every one on the engine (examples.test.ts), so the document cannot drift
// from what the code decides. Organizations are named by key; `maker` is the manufacturer of
// the ticket's SKU.
import type { OrgRole } from '../policies/rules.js';
import type {
  Fallback,
  NetworkFacts,
  PolicyVersion,
  RelationshipType,
  StepReason,
  TicketFacts,
} from './rules.js';

type OrgType = 'MANUFACTURER' | 'DISTRIBUTOR' | 'DEALER' | 'SERVICE_PARTNER';

export interface ExampleOrg {
  type: OrgType;
  inactive?: boolean;
  /** certification codes held (valid until 2030) or `{ code, validUntil }` */
  certifications?: (string | { code: string; validUntil: string })[];
}

export type ExampleRelationship = [
  from: string,
  type: RelationshipType,
  to: string,
  territories: string[],
  window?: { validFrom?: string; validTo?: string },
];

export interface ExamplePolicy {
  key: string;
  chain: OrgRole[];
  priority?: number;
  enabled?: boolean;
  regions?: string[];
  issueTypes?: string[];
  requiredCertification?: string;
  defaultOrg?: string;
  validFrom?: string;
  validTo?: string;
}

export interface ResponsibilityExample {
  id: string;
  title: string;
  why: string;
  orgs: Record<string, ExampleOrg>;
  relationships: ExampleRelationship[];
  policies: ExamplePolicy[];
  ticket: { region: string; issueType?: string; at?: string };
  expect: {
    responsible: string;
    policy: string | null;
    fallback: Fallback;
    steps: [role: OrgRole, org: string | null, reason: StepReason][];
  };
}

export const EXAMPLE_DEFAULTS = {
  at: '2026-06-01T09:00:00.000Z',
  since: '2025-01-01T00:00:00.000Z',
  issueType: 'NO_HEAT',
};

const MAKER: ExampleOrg = { type: 'MANUFACTURER' };

export const RESPONSIBILITY_EXAMPLES: ResponsibilityExample[] = [
  {
    id: 'R1',
    title: 'the distributor lacks the certification: its dealer is selected',
    why: 'Each step checks territory, then status, then the certification. The manufacturer and the distributor cover the region and are active but hold no F-GAS certificate; the walk goes on to the dealers of that distributor.',
    orgs: {
      maker: MAKER,
      dist: { type: 'DISTRIBUTOR' },
      dealer: { type: 'DEALER', certifications: ['F-GAS'] },
    },
    relationships: [
      ['dist', 'DISTRIBUTOR_OF', 'maker', ['DE', 'AT']],
      ['dealer', 'DEALER_OF', 'dist', ['DE']],
    ],
    policies: [
      {
        key: 'p',
        chain: ['MANUFACTURER', 'DISTRIBUTOR', 'DEALER'],
        requiredCertification: 'F-GAS',
      },
    ],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'dealer',
      policy: 'p',
      fallback: 'CHAIN',
      steps: [
        ['MANUFACTURER', 'maker', 'CERTIFICATION_MISSING'],
        ['DISTRIBUTOR', 'dist', 'CERTIFICATION_MISSING'],
        ['DEALER', 'dealer', 'SELECTED'],
      ],
    },
  },
  {
    id: 'R2',
    title: 'the first role that qualifies ends the walk',
    why: 'The chain does not start with MANUFACTURER, so the manufacturer is no step. The distributor qualifies; the dealer step is never tried.',
    orgs: {
      maker: MAKER,
      dist: { type: 'DISTRIBUTOR', certifications: ['F-GAS'] },
      dealer: { type: 'DEALER', certifications: ['F-GAS'] },
    },
    relationships: [
      ['dist', 'DISTRIBUTOR_OF', 'maker', ['DE']],
      ['dealer', 'DEALER_OF', 'dist', ['DE']],
    ],
    policies: [{ key: 'p', chain: ['DISTRIBUTOR', 'DEALER'], requiredCertification: 'F-GAS' }],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'dist',
      policy: 'p',
      fallback: 'CHAIN',
      steps: [['DISTRIBUTOR', 'dist', 'SELECTED']],
    },
  },
  {
    id: 'R3',
    title: 'a region outside every territory: the default organization',
    why: 'The distributor covers DE and AT, not FR. A step that reaches nobody in the region leaves the walk where it was, so the dealer step looks for dealers of the manufacturer: there are none. The policy names a default organization, a service partner of the manufacturer.',
    orgs: {
      maker: MAKER,
      dist: { type: 'DISTRIBUTOR' },
      dealer: { type: 'DEALER' },
      partner: { type: 'SERVICE_PARTNER' },
    },
    relationships: [
      ['dist', 'DISTRIBUTOR_OF', 'maker', ['DE', 'AT']],
      ['dealer', 'DEALER_OF', 'dist', ['DE']],
      ['partner', 'SERVICE_PARTNER_OF', 'maker', ['DE']],
    ],
    policies: [{ key: 'p', chain: ['DISTRIBUTOR', 'DEALER'], defaultOrg: 'partner' }],
    ticket: { region: 'FR' },
    expect: {
      responsible: 'partner',
      policy: 'p',
      fallback: 'DEFAULT_ORG',
      steps: [
        ['DISTRIBUTOR', 'dist', 'TERRITORY_MISMATCH'],
        ['DEALER', null, 'NO_RELATIONSHIP'],
      ],
    },
  },
  {
    id: 'R4',
    title: 'no step and no default organization: the manufacturer',
    why: 'The same network without a default organization: the manufacturer answers.',
    orgs: { maker: MAKER, dist: { type: 'DISTRIBUTOR' } },
    relationships: [['dist', 'DISTRIBUTOR_OF', 'maker', ['DE', 'AT']]],
    policies: [{ key: 'p', chain: ['DISTRIBUTOR', 'DEALER'] }],
    ticket: { region: 'FR' },
    expect: {
      responsible: 'maker',
      policy: 'p',
      fallback: 'MANUFACTURER',
      steps: [
        ['DISTRIBUTOR', 'dist', 'TERRITORY_MISMATCH'],
        ['DEALER', null, 'NO_RELATIONSHIP'],
      ],
    },
  },
  {
    id: 'R5',
    title: 'an inactive distributor: its dealers still count',
    why: 'An inactive organization is never selected, but the relationships below it stand: the dealer step looks at the dealers of every distributor that covered the region.',
    orgs: {
      maker: MAKER,
      dist: { type: 'DISTRIBUTOR', inactive: true },
      dealer: { type: 'DEALER' },
    },
    relationships: [
      ['dist', 'DISTRIBUTOR_OF', 'maker', []],
      ['dealer', 'DEALER_OF', 'dist', ['AT']],
    ],
    policies: [{ key: 'p', chain: ['DISTRIBUTOR', 'DEALER'] }],
    ticket: { region: 'AT' },
    expect: {
      responsible: 'dealer',
      policy: 'p',
      fallback: 'CHAIN',
      steps: [
        ['DISTRIBUTOR', 'dist', 'INACTIVE'],
        ['DEALER', 'dealer', 'SELECTED'],
      ],
    },
  },
  {
    id: 'R6',
    title: 'several hits: the most specific territory wins',
    why: 'Both distributors cover US-CA: `national` through US (the country covers its subdivisions), `west` through US-CA itself. The most specific territory wins, although `national` is older.',
    orgs: { maker: MAKER, national: { type: 'DISTRIBUTOR' }, west: { type: 'DISTRIBUTOR' } },
    relationships: [
      ['national', 'DISTRIBUTOR_OF', 'maker', ['US'], { validFrom: '2020-01-01T00:00:00.000Z' }],
      ['west', 'DISTRIBUTOR_OF', 'maker', ['US-CA', 'US-OR']],
    ],
    policies: [{ key: 'p', chain: ['DISTRIBUTOR'] }],
    ticket: { region: 'US-CA' },
    expect: {
      responsible: 'west',
      policy: 'p',
      fallback: 'CHAIN',
      steps: [['DISTRIBUTOR', 'west', 'SELECTED']],
    },
  },
  {
    id: 'R7',
    title: 'equally specific: the oldest relationship wins',
    why: 'Both dealers cover DE by the country code; `veteran` has been a dealer since 2019.',
    orgs: {
      maker: MAKER,
      newcomer: { type: 'DEALER' },
      veteran: { type: 'DEALER' },
    },
    relationships: [
      ['newcomer', 'DEALER_OF', 'maker', ['DE']],
      ['veteran', 'DEALER_OF', 'maker', ['DE'], { validFrom: '2019-03-01T00:00:00.000Z' }],
    ],
    policies: [{ key: 'p', chain: ['DEALER'] }],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'veteran',
      policy: 'p',
      fallback: 'CHAIN',
      steps: [['DEALER', 'veteran', 'SELECTED']],
    },
  },
  {
    id: 'R8',
    title: 'two policies match: the higher priority decides',
    why: 'Policies are ordered by priority (then the latest start of validity, then id); the first that matches decides alone, the others are not tried.',
    orgs: { maker: MAKER, dealer: { type: 'DEALER' }, partner: { type: 'SERVICE_PARTNER' } },
    relationships: [
      ['dealer', 'DEALER_OF', 'maker', ['DE']],
      ['partner', 'SERVICE_PARTNER_OF', 'maker', ['DE']],
    ],
    policies: [
      { key: 'low', chain: ['DEALER'], priority: 1 },
      { key: 'high', chain: ['SERVICE_PARTNER'], priority: 10 },
    ],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'partner',
      policy: 'high',
      fallback: 'CHAIN',
      steps: [['SERVICE_PARTNER', 'partner', 'SELECTED']],
    },
  },
  {
    id: 'R9',
    title: 'a disabled or expired policy is never used',
    why: 'The disabled policy and the one whose window ended before the ticket outrank the third, but only the third applies.',
    orgs: { maker: MAKER, dealer: { type: 'DEALER' }, partner: { type: 'SERVICE_PARTNER' } },
    relationships: [
      ['dealer', 'DEALER_OF', 'maker', ['DE']],
      ['partner', 'SERVICE_PARTNER_OF', 'maker', ['DE']],
    ],
    policies: [
      { key: 'disabled', chain: ['SERVICE_PARTNER'], priority: 10, enabled: false },
      {
        key: 'expired',
        chain: ['SERVICE_PARTNER'],
        priority: 10,
        validTo: '2026-01-01T00:00:00.000Z',
      },
      { key: 'current', chain: ['DEALER'] },
    ],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'dealer',
      policy: 'current',
      fallback: 'CHAIN',
      steps: [['DEALER', 'dealer', 'SELECTED']],
    },
  },
  {
    id: 'R10',
    title: 'no policy matches: the manufacturer',
    why: 'The only policy is limited to leaks; the ticket reports no heat. Without a policy the manufacturer is responsible and the provenance says NO_POLICY.',
    orgs: { maker: MAKER, dealer: { type: 'DEALER' } },
    relationships: [['dealer', 'DEALER_OF', 'maker', ['DE']]],
    policies: [{ key: 'leaks', chain: ['DEALER'], issueTypes: ['LEAK'] }],
    ticket: { region: 'DE' },
    expect: { responsible: 'maker', policy: null, fallback: 'NO_POLICY', steps: [] },
  },
  {
    id: 'R11',
    title: 'a relationship not in force at the ticket’s time does not count',
    why: 'The dealer relationship ended before the ticket was reported: no dealer holds the role.',
    orgs: { maker: MAKER, dealer: { type: 'DEALER' } },
    relationships: [
      ['dealer', 'DEALER_OF', 'maker', ['DE'], { validTo: '2026-03-01T00:00:00.000Z' }],
    ],
    policies: [{ key: 'p', chain: ['DEALER'] }],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'maker',
      policy: 'p',
      fallback: 'MANUFACTURER',
      steps: [['DEALER', null, 'NO_RELATIONSHIP']],
    },
  },
  {
    id: 'R12',
    title: 'a certification expired at the ticket’s time does not count',
    why: 'The dealer’s F-GAS certificate ran out in May; the ticket is from June.',
    orgs: {
      maker: MAKER,
      dealer: {
        type: 'DEALER',
        certifications: [{ code: 'F-GAS', validUntil: '2026-05-01T00:00:00.000Z' }],
      },
    },
    relationships: [['dealer', 'DEALER_OF', 'maker', ['DE']]],
    policies: [{ key: 'p', chain: ['DEALER'], requiredCertification: 'F-GAS' }],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'maker',
      policy: 'p',
      fallback: 'MANUFACTURER',
      steps: [['DEALER', 'dealer', 'CERTIFICATION_MISSING']],
    },
  },
  {
    id: 'R13',
    title: 'a default organization no longer related: the manufacturer',
    why: 'The default organization was a service partner when the policy was written; that relationship has ended, so it is no longer answered (nothing makes an organization responsible without an agreement in force).',
    orgs: { maker: MAKER, partner: { type: 'SERVICE_PARTNER' } },
    relationships: [
      ['partner', 'SERVICE_PARTNER_OF', 'maker', [], { validTo: '2026-02-01T00:00:00.000Z' }],
    ],
    policies: [{ key: 'p', chain: ['DEALER'], defaultOrg: 'partner' }],
    ticket: { region: 'DE' },
    expect: {
      responsible: 'maker',
      policy: 'p',
      fallback: 'MANUFACTURER',
      steps: [['DEALER', null, 'NO_RELATIONSHIP']],
    },
  },
];

/** A stable id for an example's key (the docs name keys, the engine sees ids). */
export function exampleId(key: string): string {
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `0190e000-0000-7000-8000-${hash.toString(16).padStart(12, '0')}`;
}

export const EXAMPLE_SKU = '0190e000-0000-7000-8000-5c0000000001';
export const EXAMPLE_PRODUCT = '0190e000-0000-7000-8000-5c0000000002';

/** The engine's inputs for an example. */
export function exampleInputs(e: ResponsibilityExample): {
  ticket: TicketFacts;
  policies: PolicyVersion[];
  network: NetworkFacts;
} {
  const since = new Date(EXAMPLE_DEFAULTS.since);
  const ticket: TicketFacts = {
    skuId: EXAMPLE_SKU,
    productId: EXAMPLE_PRODUCT,
    manufacturerId: exampleId('maker'),
    region: e.ticket.region,
    issueType: e.ticket.issueType ?? EXAMPLE_DEFAULTS.issueType,
    at: new Date(e.ticket.at ?? EXAMPLE_DEFAULTS.at),
  };
  const policies = e.policies.map(
    (p): PolicyVersion => ({
      id: exampleId(`policy:${p.key}`),
      version: 1,
      priority: p.priority ?? 0,
      enabled: p.enabled ?? true,
      chain: p.chain,
      conditions: {
        productIds: [],
        skuIds: [],
        regions: p.regions ?? [],
        issueTypes: p.issueTypes ?? [],
      },
      requiredCertification: p.requiredCertification ?? null,
      defaultOrgId: p.defaultOrg ? exampleId(p.defaultOrg) : null,
      validFrom: p.validFrom ? new Date(p.validFrom) : since,
      validTo: p.validTo ? new Date(p.validTo) : null,
    }),
  );
  const network: NetworkFacts = {
    relationships: e.relationships.map(([from, type, to, territories, window], i) => ({
      id: exampleId(`relationship:${i}`),
      fromOrgId: exampleId(from),
      toOrgId: exampleId(to),
      type,
      territories,
      validFrom: window?.validFrom ? new Date(window.validFrom) : since,
      validTo: window?.validTo ? new Date(window.validTo) : null,
    })),
    organizations: new Map(
      Object.entries(e.orgs).map(([key, o]) => [
        exampleId(key),
        o.inactive ? 'INACTIVE' : 'ACTIVE',
      ]),
    ),
    certifications: Object.entries(e.orgs).flatMap(([key, o]) =>
      (o.certifications ?? []).map((c) =>
        typeof c === 'string'
          ? { orgId: exampleId(key), code: c, validUntil: new Date('2030-12-31T00:00:00.000Z') }
          : { orgId: exampleId(key), code: c.code, validUntil: new Date(c.validUntil) },
      ),
    ),
  };
  return { ticket, policies, network };
}
