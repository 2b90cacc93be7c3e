import { groupLoader, type Page, pageQuery, rowLoader, uuidsOnly } from '@trellis/kit';
import type {
  Agreement,
  AgreementParty,
  AgreementVersion,
  Prisma,
} from '@trellis/prisma/agreements/generated/client.ts';
import type { AgreementsPrisma, AgreementsTx } from '../prisma.js';
import { byPosition } from '../sla-policies/rules.js';
import type { SlaPolicyRow } from '../sla-policies/sla-policy-store.js';
import type { AgreementListScope } from './rules.js';

export type AgreementRow = Agreement;
export type PartyRow = AgreementParty;
export type AgreementVersionRow = AgreementVersion;

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

/** The versions of each agreement, oldest first. */
export const versionLoaders = (prisma: AgreementsPrisma) => ({
  versionsOf: groupLoader<string, AgreementVersion>(
    (ids) =>
      prisma.agreementVersion.findMany({
        where: { agreementId: { in: uuidsOnly(ids) } },
        orderBy: [{ agreementId: 'asc' }, { version: 'asc' }],
      }),
    (v) => v.agreementId,
  ),
});

/** What a version of an agreement holds. */
export interface AgreementContent {
  status: AgreementRow['status'];
  validFrom: Date;
  validTo: Date | null;
  terms: Record<string, unknown>;
  slaPolicyIds: string[];
}

/** Appends version `version` of an agreement (immutable) for the request's actor. */
export const insertVersion = (
  tx: AgreementsTx,
  agreementId: string,
  version: number,
  content: AgreementContent,
  who: { actor: string; requestId: string },
) =>
  tx.agreementVersion.create({
    data: {
      agreementId,
      version,
      status: content.status,
      validFrom: content.validFrom,
      validTo: content.validTo,
      terms: content.terms as Prisma.InputJsonObject,
      slaPolicyIds: content.slaPolicyIds,
      actor: who.actor,
      requestId: who.requestId,
    },
  });

/** Locks an agreement's row until the transaction ends: its changes run one after the other. */
export async function lockAgreement(tx: AgreementsTx, id: string): Promise<AgreementRow | null> {
  await tx.$queryRawUnsafe(
    'SELECT 1 FROM "agreements"."agreement" WHERE id = $1::uuid FOR UPDATE',
    id,
  );
  return tx.agreement.findUnique({ where: { id } });
}
