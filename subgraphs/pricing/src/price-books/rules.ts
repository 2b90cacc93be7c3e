import { type Caller, idOf, isAdmin, isCurrency } from '@trellis/kit';
import type { PriceScope } from '@trellis/prisma/pricing/generated/enums.ts';
import { z } from 'zod';

export const PRICE_SCOPES = [
  'GLOBAL',
  'ORG',
  'CHANNEL',
  'ORG_CHANNEL',
] as const satisfies readonly PriceScope[];

/** Filters of `Query.priceBooks` (besides paging). */
export const priceBooksFilter = z.object({
  scope: z.enum(PRICE_SCOPES).nullish(),
  orgId: z.uuid('must be an organization id').nullish(),
  channelId: z.uuid('must be a channel id').nullish(),
});
export type PriceBooksFilter = z.infer<typeof priceBooksFilter>;

/** What decides who may see a price book. */
export interface PriceBookAudience {
  scope: PriceScope;
  orgId: string | null;
  /** the owner of the book's channel (org-graph); undefined when not looked up */
  channelOwnerOrgId?: string | null;
}

/**
 * GLOBAL and CHANNEL books are visible to every authenticated caller; ORG and ORG_CHANNEL books
 * only to their organization, the channel's owner (ORG_CHANNEL) and administrators.
 */
export function canSeePriceBook(caller: Caller, book: PriceBookAudience): boolean {
  if (book.scope === 'GLOBAL' || book.scope === 'CHANNEL') return true;
  if (isAdmin(caller)) return true;
  if (!caller.orgId) return false;
  if (book.orgId === caller.orgId) return true;
  return book.scope === 'ORG_CHANNEL' && book.channelOwnerOrgId === caller.orgId;
}

/**
 * Whether `canSeePriceBook` could still change its answer once the channel's owner is known
 * (so the owner is looked up only then).
 */
export function needsChannelOwner(caller: Caller, book: PriceBookAudience): boolean {
  return (
    book.scope === 'ORG_CHANNEL' &&
    book.channelOwnerOrgId === undefined &&
    caller.orgId !== null &&
    !canSeePriceBook(caller, book)
  );
}

// ---------------------------------------------------------------------------------------------
// Writes

/** Who writes a book of each scope (besides administrators, who write every book). */
export const BOOK_WRITERS: Record<PriceScope, string> = {
  GLOBAL: 'administrators only',
  ORG: 'administrators only',
  CHANNEL: "the channel's owner",
  ORG_CHANNEL: "the channel's owner",
};

/**
 * Why the caller may not write (create, change, add rules to) a book with this scope and
 * channel owner, or null when it may. A buyer never writes the books that price its own
 * purchases: ORG books apply in every channel, so only administrators write them (and GLOBAL
 * books); CHANNEL and ORG_CHANNEL books are the seller's, the channel's owner.
 */
export function bookWriteProblem(
  caller: Caller,
  book: { scope: PriceScope; channelOwnerOrgId: string | null },
): string | null {
  if (isAdmin(caller)) return null;
  if (book.scope === 'GLOBAL' || book.scope === 'ORG')
    return `${book.scope} price books are written by administrators only`;
  if (caller.orgId && caller.orgId === book.channelOwnerOrgId) return null;
  return `${book.scope} price books are written by the channel's owner (you act for ${caller.orgId ?? 'no organization'})`;
}

const needsOrg = (scope: PriceScope) => scope === 'ORG' || scope === 'ORG_CHANNEL';
const needsChannel = (scope: PriceScope) => scope === 'CHANNEL' || scope === 'ORG_CHANNEL';

const name = z.string().trim().min(1, 'name must not be empty').max(200, 'name is too long');
const priority = z
  .number()
  .int()
  .min(-1_000_000, 'priority must be between -1000000 and 1000000')
  .max(1_000_000, 'priority must be between -1000000 and 1000000');
const status = z.enum(['ACTIVE', 'INACTIVE']);
const idempotencyKey = z.string().min(1).max(200).nullish();
const date = z.date({ error: 'must be a date-time' });

/** A decimal string of at most `places` decimals and `digits` integer digits, not negative. */
const decimal = (what: string, digits: number, places: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, `${what} must be a decimal string such as "12.50"`)
    .refine((v) => !v.startsWith('-'), `${what} must not be negative`)
    .refine(
      (v) => (v.split('.')[1] ?? '').length <= places,
      `${what} has at most ${places} decimals`,
    )
    .refine(
      (v) => v.split('.')[0]!.replace(/^0+(?=\d)/, '').length <= digits,
      `${what} has at most ${digits} digits before the decimal point`,
    );

export const amountInput = decimal('amount', 15, 4);
export const percentInput = decimal('percent', 3, 4).refine(
  (v) => Number(v) <= 100,
  'percent must be between 0 and 100',
);

/** `createPriceBook`'s input; `now` is the default start. */
export const createPriceBookInput = (now: Date) =>
  z
    .object({
      name,
      currency: z.string().refine(isCurrency, 'currency must be an ISO 4217 code such as "EUR"'),
      scope: z.enum(PRICE_SCOPES),
      orgId: idOf('an organization').nullish(),
      channelId: idOf('a channel').nullish(),
      validFrom: date.nullish(),
      validTo: date.nullish(),
      priority: priority.nullish(),
      taxIncluded: z.boolean().nullish(),
      status: status.nullish(),
      idempotencyKey,
    })
    .superRefine((v, ctx) => {
      if (needsOrg(v.scope) && !v.orgId)
        ctx.addIssue({ code: 'custom', path: ['orgId'], message: `a ${v.scope} book needs orgId` });
      if (!needsOrg(v.scope) && v.orgId)
        ctx.addIssue({
          code: 'custom',
          path: ['orgId'],
          message: `a ${v.scope} book has no orgId (orgId is for ORG and ORG_CHANNEL books)`,
        });
      if (needsChannel(v.scope) && !v.channelId)
        ctx.addIssue({
          code: 'custom',
          path: ['channelId'],
          message: `a ${v.scope} book needs channelId`,
        });
      if (!needsChannel(v.scope) && v.channelId)
        ctx.addIssue({
          code: 'custom',
          path: ['channelId'],
          message: `a ${v.scope} book has no channelId (channelId is for CHANNEL and ORG_CHANNEL books)`,
        });
      const from = v.validFrom ?? now;
      if (v.validTo && v.validTo.getTime() <= from.getTime())
        ctx.addIssue({
          code: 'custom',
          path: ['validTo'],
          message: `validTo must be after validFrom (${from.toISOString()})`,
        });
    })
    .transform((v) => ({
      ...v,
      orgId: v.orgId ?? null,
      channelId: v.channelId ?? null,
      validFrom: v.validFrom ?? now,
      validTo: v.validTo ?? null,
      priority: v.priority ?? 0,
      taxIncluded: v.taxIncluded ?? false,
      status: v.status ?? 'ACTIVE',
    }));

/** `updatePriceBook`'s input: only what is given changes (validTo: null opens the window). */
export const updatePriceBookInput = z
  .object({
    name: name.optional(),
    validFrom: date.optional(),
    validTo: date.nullable().optional(),
    priority: priority.optional(),
    taxIncluded: z.boolean().optional(),
    status: status.optional(),
    idempotencyKey,
  })
  .refine(
    (v) =>
      [v.name, v.validFrom, v.validTo, v.priority, v.taxIncluded, v.status].some(
        (x) => x !== undefined,
      ),
    'give at least one field to change',
  );

/** The book's window after an update, or the field to blame when it would be empty. */
export function updatedWindow(
  current: { validFrom: Date; validTo: Date | null },
  change: { validFrom?: Date; validTo?: Date | null },
): { validFrom: Date; validTo: Date | null } | { field: string; message: string } {
  const validFrom = change.validFrom ?? current.validFrom;
  const validTo = change.validTo === undefined ? current.validTo : change.validTo;
  if (validTo && validTo.getTime() <= validFrom.getTime()) {
    return {
      field:
        change.validTo !== undefined && change.validTo !== null
          ? 'input.validTo'
          : 'input.validFrom',
      message: `validFrom (${validFrom.toISOString()}) must be before validTo (${validTo.toISOString()})`,
    };
  }
  return { validFrom, validTo };
}

export const createPriceRuleInput = z
  .object({
    priceBookId: idOf('a price book'),
    skuId: idOf('a SKU'),
    kind: z.enum(['FIXED', 'PERCENT_OFF', 'AMOUNT_OFF']),
    amount: amountInput.nullish(),
    percent: percentInput.nullish(),
    minQuantity: z.number().int().min(1, 'minQuantity must be at least 1').nullish(),
    validFrom: date.nullish(),
    validTo: date.nullish(),
    priority: priority.nullish(),
    taxCategory: z.string().trim().min(1, 'taxCategory must not be empty').max(64).nullish(),
    idempotencyKey,
  })
  .superRefine((v, ctx) => {
    const relative = v.kind === 'PERCENT_OFF';
    if (!relative && v.amount == null)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `a ${v.kind} rule needs amount` });
    if (relative && v.amount != null)
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'a PERCENT_OFF rule takes percent, not amount',
      });
    if (relative && v.percent == null)
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: 'a PERCENT_OFF rule needs percent',
      });
    if (!relative && v.percent != null)
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: `a ${v.kind} rule takes amount, not percent`,
      });
    if (v.validFrom && v.validTo && v.validTo.getTime() <= v.validFrom.getTime())
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: 'validTo must be after validFrom',
      });
  })
  .transform((v) => ({
    ...v,
    amount: v.amount ?? null,
    percent: v.percent ?? null,
    minQuantity: v.minQuantity ?? 1,
    validFrom: v.validFrom ?? null,
    validTo: v.validTo ?? null,
    priority: v.priority ?? 0,
    taxCategory: v.taxCategory ?? null,
  }));
export type CreatePriceRuleData = z.output<typeof createPriceRuleInput>;
