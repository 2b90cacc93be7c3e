import { badInput, conflict, forbidden, idOf, notFound, requireReferences } from '@trellis/kit';
import type { Prisma } from '@trellis/prisma/agreements/generated/client.ts';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import {
  type AgreementContent,
  type AgreementRow,
  insertVersion,
  lockAgreement,
} from './agreement-store.js';
import {
  activation,
  agreementTransition,
  createAgreementInput,
  mayWriteAgreement,
  nextAgreementStatuses,
  slaPolicyProblem,
  termsOf,
  updateAgreementInput,
} from './rules.js';

/** The terms of a type, or BAD_USER_INPUT naming the path at fault. */
function validTerms(type: AgreementRow['type'], terms: unknown) {
  const checked = termsOf(type, terms, 'input.terms');
  if ('field' in checked) throw badInput(checked.field, checked.message);
  return checked.terms;
}

/** The SLA policies an agreement may apply (`slaPolicyProblem`), or BAD_USER_INPUT. */
async function requireSlaPolicies(ctx: Context, partyOrgIds: string[], ids: string[]) {
  const policies = await Promise.all(ids.map((id) => ctx.loaders.slaPolicy.load(id)));
  const problem = slaPolicyProblem(ctx.caller, partyOrgIds, policies);
  if (problem)
    throw badInput(
      `input.slaPolicyIds.${problem.index}`,
      `input.slaPolicyIds.${problem.index}: ${problem.message}`,
    );
}

/** One event per party: each sees its agreements' changes in its own outbox. */
const eventsFor = (type: string, a: AgreementRow, parties: readonly string[], payload: object) =>
  parties.map((orgId) => ({
    type,
    aggregateType: 'Agreement',
    aggregateId: a.id,
    orgId,
    payload: { agreementId: a.id, version: a.version, status: a.status, ...payload },
  }));

const who = (ctx: Context) => ({ actor: ctx.caller.subject, requestId: ctx.requestId });

const organizations = (orgIds: readonly string[]) =>
  orgIds.map((id, i) => ({
    view: 'org_graph.organization_v1' as const,
    id,
    what: 'organization',
    field: `input.partyOrgIds.${i}`,
  }));

export const createAgreement = defineCommand({
  name: 'createAgreement',
  args: z.object({ input: createAgreementInput }),
  async authorize(ctx, { input }) {
    if (!mayWriteAgreement(ctx.caller, input.partyOrgIds))
      throw forbidden('an organization creates only agreements it is a party of (or admin)');
    const terms = validTerms(input.type, input.terms);
    await requireSlaPolicies(ctx, input.partyOrgIds, input.slaPolicyIds);
    return { terms };
  },
  async run(tx, { input }, { terms }, ctx) {
    await requireReferences(tx, organizations(input.partyOrgIds));
    const now = new Date();
    const content: AgreementContent = {
      status: 'DRAFT',
      validFrom: input.validFrom ?? now,
      validTo: input.validTo,
      terms,
      slaPolicyIds: input.slaPolicyIds,
    };
    const agreement = await tx.agreement.create({
      data: {
        type: input.type,
        validFrom: content.validFrom,
        validTo: content.validTo,
        terms: terms as Prisma.InputJsonObject,
        createdByOrgId: ctx.caller.orgId ?? (input.partyOrgIds[0] as string),
      },
    });
    await tx.agreementParty.createMany({
      data: input.partyOrgIds.map((orgId) => ({
        agreementId: agreement.id,
        orgId,
        acceptedAt: orgId === ctx.caller.orgId ? now : null,
      })),
    });
    await insertVersion(tx, agreement.id, 1, content, who(ctx));
    if (input.slaPolicyIds.length)
      await tx.agreementSlaPolicy.createMany({
        data: input.slaPolicyIds.map((slaPolicyId) => ({ agreementId: agreement.id, slaPolicyId })),
      });
    return {
      result: agreement,
      audit: {
        action: 'agreement.create',
        objectType: 'Agreement',
        objectId: agreement.id,
        after: { ...agreement, partyOrgIds: input.partyOrgIds, slaPolicyIds: input.slaPolicyIds },
      },
      events: eventsFor('agreement.created', agreement, input.partyOrgIds, {
        type: agreement.type,
        partyOrgIds: input.partyOrgIds,
      }),
    };
  },
});

/** What an update changes: the next version's content (null: the same) and the status move. */
function planUpdate(
  current: AgreementRow,
  slaPolicyIds: string[],
  input: z.output<typeof updateAgreementInput>,
) {
  const terms = input.terms === undefined ? current.terms : validTerms(current.type, input.terms);
  const next: AgreementContent = {
    status: current.status,
    validFrom: input.validFrom ?? current.validFrom,
    validTo:
      input.validTo === undefined || input.validTo === null ? current.validTo : input.validTo,
    terms: terms as Record<string, unknown>,
    slaPolicyIds: input.slaPolicyIds ?? slaPolicyIds,
  };
  if (next.validTo && next.validTo <= next.validFrom)
    throw badInput('input.validTo', 'input.validTo: validTo must be after validFrom');
  const same =
    JSON.stringify(next.terms) === JSON.stringify(current.terms) &&
    next.validFrom.getTime() === current.validFrom.getTime() &&
    (next.validTo?.getTime() ?? null) === (current.validTo?.getTime() ?? null) &&
    [...next.slaPolicyIds].sort().join() === [...slaPolicyIds].sort().join();
  return same ? null : next;
}

export const updateAgreement = defineCommand({
  name: 'updateAgreement',
  args: z.object({ id: idOf('an agreement'), input: updateAgreementInput }),
  async authorize(ctx, { id, input }) {
    const current = await ctx.loaders.agreement.load(id);
    if (!current) throw notFound('agreement', id, 'id');
    const parties = await ctx.loaders.partiesOf.load(id);
    const partyOrgIds = parties.map((p) => p.orgId);
    if (!mayWriteAgreement(ctx.caller, partyOrgIds))
      throw forbidden('only a party of the agreement (or admin) changes it');
    const policies = (await ctx.loaders.slaPoliciesOf.load(id)).map((p) => p.id);
    const content = planUpdate(current, policies, input);
    if (content && current.status !== 'DRAFT')
      throw badInput(
        input.terms !== undefined
          ? 'input.terms'
          : input.slaPolicyIds
            ? 'input.slaPolicyIds'
            : 'input.validTo',
        `a ${current.status} agreement does not change what was agreed; make a new agreement`,
        { currentStatus: current.status },
      );
    if (content && input.slaPolicyIds)
      await requireSlaPolicies(ctx, partyOrgIds, input.slaPolicyIds);
    if (input.status && agreementTransition(current.status, input.status) === 'ILLEGAL')
      throw badInput(
        'input.status',
        `a ${current.status} agreement cannot move to ${input.status}; it can move to ${nextAgreementStatuses(current.status)}`,
        { currentStatus: current.status },
      );
    return { current, parties, content };
  },
  async run(tx, { id, input }, { current, parties, content }, ctx) {
    const locked = await lockAgreement(tx, id);
    if (!locked || locked.version !== current.version || locked.status !== current.status)
      throw conflict(`agreement ${id} changed meanwhile; read it again`);
    const partyOrgIds = parties.map((p) => p.orgId);
    const admin = ctx.caller.scopes.has('admin');
    let { version } = current;
    let status = current.status;
    let accepted = parties.filter((p) => p.acceptedAt !== null).map((p) => p.orgId);
    if (content) {
      version += 1;
      await insertVersion(tx, id, version, content, who(ctx));
      await tx.agreementSlaPolicy.deleteMany({ where: { agreementId: id } });
      if (content.slaPolicyIds.length)
        await tx.agreementSlaPolicy.createMany({
          data: content.slaPolicyIds.map((slaPolicyId) => ({ agreementId: id, slaPolicyId })),
        });
      // what the others accepted changed: only the writer's acceptance stands
      accepted = accepted.filter((o) => o === ctx.caller.orgId);
    }
    if (input.status === 'ACTIVE' && status === 'DRAFT') {
      const a = activation(
        parties.map((p) => ({
          orgId: p.orgId,
          acceptedAt: accepted.includes(p.orgId) ? new Date() : null,
        })),
        ctx.caller.orgId,
        admin,
      );
      accepted = a.accepted;
      if (a.active) status = 'ACTIVE';
    } else if (input.status && input.status !== status) {
      status = input.status;
    }
    const acceptedBefore = parties.filter((p) => p.acceptedAt !== null).map((p) => p.orgId);
    if (!content && status === current.status && accepted.join() === acceptedBefore.join())
      return { result: current, unchanged: true };
    const now = new Date();
    for (const p of parties) {
      const was = p.acceptedAt !== null;
      const is = accepted.includes(p.orgId);
      if (was !== is)
        await tx.agreementParty.update({
          where: { agreementId_orgId: { agreementId: id, orgId: p.orgId } },
          data: { acceptedAt: is ? now : null },
        });
    }
    const agreement = await tx.agreement.update({
      where: { id },
      data: {
        status,
        version,
        ...(content && {
          terms: content.terms as Prisma.InputJsonObject,
          validFrom: content.validFrom,
          validTo: content.validTo,
        }),
      },
    });
    return {
      result: agreement,
      audit: {
        action: 'agreement.update',
        objectType: 'Agreement',
        objectId: id,
        before: { status: current.status, version: current.version, acceptedBy: acceptedBefore },
        after: { status, version, acceptedBy: accepted, ...(content && { content }) },
      },
      events: eventsFor('agreement.updated', agreement, partyOrgIds, {
        from: current.status,
        acceptedBy: accepted,
        versionChanged: content !== null,
      }),
    };
  },
  onWritten(ctx, _result, { id }) {
    ctx.loaders.agreement.clear(id);
    ctx.loaders.partiesOf.clear(id);
    ctx.loaders.slaPoliciesOf.clear(id);
  },
});
