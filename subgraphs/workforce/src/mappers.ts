// The value each GraphQL type's resolvers receive as parent: subgraphs/codegen.ts maps every
// type exported here (by its GraphQL name) in the generated resolver types.
export type { AssignmentRow as EngineerAssignment } from './assignments/assignment-store.js';
export type { TicketRef as Ticket } from './assignments/ticket-store.js';
export type { Ranked as EligibleEngineer } from './eligibility/ranking.js';
export type {
  CoverageRow as EngineerCoverage,
  EngineerRow as Engineer,
  MembershipRow as EngineerMembership,
  SkillRow as EngineerSkill,
} from './engineers/engineer-store.js';
