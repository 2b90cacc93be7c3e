import { Decimal } from 'decimal.js';

/**
 * Money arithmetic: exact decimals (never floats), 40 significant digits, and half-even
 * ("banker's") rounding wherever a value is rounded.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type MoneyValue = InstanceType<typeof Money>;

const minorUnitsCache = new Map<string, number>();

/**
 * The number of decimals of a currency's minor unit (ISO 4217): JPY 0, USD 2, KWD 3. Taken from
 * the runtime's ICU data (`Intl.NumberFormat`), which follows ISO 4217.
 */
export function minorUnits(currency: string): number {
  let digits = minorUnitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    minorUnitsCache.set(currency, digits);
  }
  return digits;
}

/** Rounds to the currency's minor units, half-even. */
export const roundToMinor = (value: MoneyValue, currency: string): MoneyValue =>
  value.toDecimalPlaces(minorUnits(currency), Money.ROUND_HALF_EVEN);

/** The wire form: a decimal string with exactly the currency's decimals ("1234.50", "1120"). */
export const formatAmount = (value: MoneyValue, currency: string): string =>
  value.toFixed(minorUnits(currency), Money.ROUND_HALF_EVEN);
