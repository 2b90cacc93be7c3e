import {
  badInput,
  conflict,
  forbidden,
  notFound,
  type Reference,
  requireReferences,
} from '@trellis/kit';
import { z } from 'zod';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import {
  type EngineerRow,
  endMembership,
  engineerIn,
  insertEngineer,
  insertMembership,
  moveHome,
  replaceCoverage,
  replaceSkills,
} from './engineer-store.js';
import {
  addMembershipInput,
  createEngineerInput,
  datedMembership,
  endMembershipInput,
  mayWriteEngineer,
  membershipGrantProblem,
  overlaps,
  periodProblem,
  updateCoverageInput,
  updateSkillsInput,
} from './rules.js';

/** The engineer as audited: its facts without its personal data (audit rows outlive consent). */
const audited = (e: EngineerRow, facts: object = {}) => ({
  id: e.id,
  displayName: e.displayName,
  status: e.status,
  ...facts,
});

const organizations = (orgIds: readonly string[], field: (i: number) => string): Reference[] =>
  orgIds.map((id, i) => ({
    view: 'org_graph.organization_v1',
    id,
    what: 'organization',
    field: field(i),
  }));

/**
 * The engineer a write is about, visible to the caller (row-level security: else NOT_FOUND) and
 * writable by it: a member organization now, or admin (FORBIDDEN otherwise).
 */
async function writableEngineer(ctx: Context, engineerId: string, at: Date) {
  const engineer = await ctx.loaders.engineer.load(engineerId);
  if (!engineer) throw notFound('engineer', engineerId, 'input.engineerId');
  if (!mayWriteEngineer(ctx.caller, await ctx.loaders.membershipsOf.load(engineerId), at))
    throw forbidden(
      'only an organization the engineer is a member of now (or admin) may change it',
    );
  return engineer;
}

export const createEngineer = defineCommand({
  name: 'createEngineer',
  args: z.object({ input: createEngineerInput }),
  authorize(ctx, { input }) {
    const now = new Date();
    const memberships = (input.memberships ?? []).map((m) => datedMembership(m, now));
    const problem = membershipGrantProblem(ctx.caller, memberships, true);
    if (problem) throw forbidden(problem);
    memberships.forEach((m, i) => {
      const period = periodProblem(m);
      if (period) throw badInput(`input.memberships.${i}.validTo`, period);
    });
    return { now, memberships };
  },
  async run(tx, { input }, { now, memberships }, ctx) {
    await requireReferences(
      tx,
      organizations(
        memberships.map((m) => m.orgId),
        (i) => `input.memberships.${i}.orgId`,
      ),
    );
    const facts = {
      regions: input.regions ?? [],
      radiusKm: input.radiusKm ?? null,
      skills: input.skills ?? [],
      memberships,
    };
    const engineer = await insertEngineer(
      tx,
      {
        displayName: input.displayName,
        email: input.email ?? null,
        phone: input.phone ?? null,
        home: input.homeLocation ?? null,
        createdByOrgId: ctx.caller.orgId,
      },
      facts,
      now,
    );
    return {
      result: engineer,
      audit: {
        action: 'engineer.create',
        objectType: 'Engineer',
        objectId: engineer.id,
        after: audited(engineer, facts),
      },
    };
  },
});

export const updateEngineerSkills = defineCommand({
  name: 'updateEngineerSkills',
  args: z.object({ input: updateSkillsInput }),
  async authorize(ctx, { input }) {
    const now = new Date();
    return { now, engineer: await writableEngineer(ctx, input.engineerId, now) };
  },
  async run(tx, { input }, { now, engineer }) {
    const { closed, opened } = await replaceSkills(tx, engineer.id, input.skills, now);
    return {
      result: await engineerIn(tx, engineer.id),
      audit: {
        action: 'engineer.skills',
        objectType: 'Engineer',
        objectId: engineer.id,
        before: {
          closed: closed.map(({ code, level, certifiedUntil }) => ({
            code,
            level,
            certifiedUntil,
          })),
        },
        after: { opened },
      },
    };
  },
  onDuplicate: () => conflict('a concurrent change of these skills won; read them again and retry'),
});

export const updateEngineerCoverage = defineCommand({
  name: 'updateEngineerCoverage',
  args: z.object({ input: updateCoverageInput }),
  async authorize(ctx, { input }) {
    const now = new Date();
    const engineer = await writableEngineer(ctx, input.engineerId, now);
    const home = input.homeLocation ?? (engineer.homeLat === null ? null : engineer);
    if (input.radiusKm != null && home === null)
      throw badInput('input.radiusKm', 'a radius needs a homeLocation (its centre)');
    return { now, engineer };
  },
  async run(tx, { input }, { now, engineer }) {
    if (input.homeLocation) await moveHome(tx, engineer.id, input.homeLocation);
    const coverage = { regions: input.regions, radiusKm: input.radiusKm ?? null };
    const { closed } = await replaceCoverage(tx, engineer.id, coverage, now);
    return {
      result: await engineerIn(tx, engineer.id),
      audit: {
        action: 'engineer.coverage',
        objectType: 'Engineer',
        objectId: engineer.id,
        before: closed.map(({ regions, radiusKm }) => ({ regions, radiusKm })),
        after: { ...coverage, homeMoved: Boolean(input.homeLocation) },
      },
    };
  },
  onDuplicate: () => conflict('a concurrent change of this coverage won; read it again and retry'),
});

export const addEngineerMembership = defineCommand({
  name: 'addEngineerMembership',
  args: z.object({ input: addMembershipInput }),
  async authorize(ctx, { input }) {
    const now = new Date();
    const membership = datedMembership(input.membership, now);
    const problem = membershipGrantProblem(ctx.caller, [membership], false);
    if (problem) throw forbidden(problem);
    const engineer = await writableEngineer(ctx, input.engineerId, now);
    const period = periodProblem(membership);
    if (period) throw badInput('input.membership.validTo', period);
    const clash = (await ctx.loaders.membershipsOf.load(engineer.id)).find(
      (m) => m.orgId === membership.orgId && overlaps(m, membership),
    );
    if (clash)
      throw conflict(
        `the engineer already has a membership in this organization for an overlapping period (${clash.id}); end it first`,
        { field: 'input.membership.validFrom' },
      );
    return { engineer, membership };
  },
  async run(tx, _, { engineer, membership }) {
    await requireReferences(
      tx,
      organizations([membership.orgId], () => 'input.membership.orgId'),
    );
    const row = await insertMembership(tx, engineer.id, membership);
    return {
      result: engineer,
      audit: {
        action: 'engineer.membership.add',
        objectType: 'EngineerMembership',
        objectId: row.id,
        after: row,
      },
    };
  },
});

export const endEngineerMembership = defineCommand({
  name: 'endEngineerMembership',
  args: z.object({ input: endMembershipInput }),
  async authorize(ctx, { input }) {
    const membership = await ctx.loaders.membership.load(input.membershipId);
    if (!membership) throw notFound('membership', input.membershipId, 'input.membershipId');
    // either side ends it: its organization (or admin)
    if (membershipGrantProblem(ctx.caller, [membership], false))
      throw forbidden('only the membership’s organization (or admin) may end it');
    const validTo = input.validTo ?? new Date();
    if (validTo <= membership.validFrom)
      throw badInput('input.validTo', 'validTo must be after the membership’s validFrom');
    if (membership.validTo !== null && membership.validTo <= validTo)
      throw badInput(
        'input.validTo',
        `the membership already ends at ${membership.validTo.toISOString()}`,
      );
    return { membership, validTo };
  },
  async run(tx, _, { membership, validTo }) {
    const row = await endMembership(tx, membership.id, validTo);
    return {
      result: await engineerIn(tx, membership.engineerId),
      audit: {
        action: 'engineer.membership.end',
        objectType: 'EngineerMembership',
        objectId: row.id,
        before: membership,
        after: row,
      },
    };
  },
});
