import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Agreement,
  AgreementParty,
  Prisma,
} from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma } from '../prisma.js';
import { byPosition } from '../sla-policies/rules.js';
import type { SlaPolicyRow } from '../sla-policies/sla-policy-store.js';
import type { AgreementListScope } from './rules.js';

export type AgreementRow = Agreement;
export type PartyRow = AgreementParty;

export function agreementLoaders(prisma: AgreementsPrisma) {
  return {
    agreement: rowLoader<string, AgreementRow>(
      (ids) => prisma.agreement.findMany({ where: { id: { in: uuidsOnly(ids) } } }),
      (a) => a.id,
    ),
    partiesOf: groupLoader<string, PartyRow>(
      (ids) =>
        prisma.agreementParty.findMany({
          where: { agreementId: { in: uuidsOnly(ids) } },
          orderBy: { orgId: 'asc' },
        }),
      (p) => p.agreementId,
    ),
    /** the SLA policies each agreement applies, lower position first */
    slaPoliciesOf: groupLoader<string, SlaPolicyRow & { agreementId: string }>(
      async (ids) => {
        const links = await prisma.agreementSlaPolicy.findMany({
          where: { agreementId: { in: uuidsOnly(ids) } },
          include: { slaPolicy: true },
        });
        return links.map((l) => ({ ...l.slaPolicy, agreementId: l.agreementId })).sort(byPosition);
      },
      (p) => p.agreementId,
    ),
  };
}

/** The SQL filter of a list scope: every listed organization is a party. */
export function agreementWhere(scope: AgreementListScope): Prisma.AgreementWhereInput {
  if (scope.partyOrgIds.length === 0) return {};
  return { AND: scope.partyOrgIds.map((orgId) => ({ parties: { some: { orgId } } })) };
}

export async function listAgreements(
  prisma: AgreementsPrisma,
  page: Page,
  scope: AgreementListScope,
) {
  const where = agreementWhere(scope);
  const [rows, total] = await Promise.all([
    prisma.agreement.findMany(pageQuery(page, where)),
    prisma.agreement.count({ where }),
  ]);
  return { rows, total };
}
