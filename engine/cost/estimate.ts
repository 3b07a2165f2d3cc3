import { COST_MODELS, type CostModel, HOURLY_PRICES, PRICE_SOURCE, STORAGE_PRICES } from './prices.js';

/** Case-insensitive price lookups (canonical values may be lowercased, e.g. Azure VM sizes). */
const lowerTables = (tables: Record<string, Record<string, number>>) =>
  new Map(
    Object.entries(tables).map(([name, t]) => [name, new Map(Object.entries(t).map(([k, v]) => [k.toLowerCase(), v]))]),
  );
const HOURLY = lowerTables(HOURLY_PRICES);
const STORAGE = lowerTables(STORAGE_PRICES);

export interface MonthlyCost {
  usd: number;
  basis: string;
}

const key = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
const round2 = (n: number) => Math.round(n * 100) / 100;

function price(model: CostModel, valueAt: (path: string) => unknown): MonthlyCost | undefined {
  const hours = PRICE_SOURCE.hours_per_month;
  switch (model.kind) {
    case 'hourly': {
      const type = valueAt(model.attr);
      const hourly = HOURLY.get(model.table)?.get(key(type) ?? '');
      return hourly === undefined ? undefined : { usd: hourly * hours, basis: `${String(type)} at $${hourly}/h` };
    }
    case 'storage': {
      const size = Number(valueAt(model.size));
      const type = key(valueAt(model.type)) ?? model.defaultType.toLowerCase();
      const perGb = STORAGE.get(model.table)?.get(type);
      return perGb === undefined || !Number.isFinite(size)
        ? undefined
        : { usd: size * perGb, basis: `${size} GB ${type} at $${perGb}/GB-month` };
    }
    case 'flat':
    case 'flat-by': {
      const item =
        model.kind === 'flat' ? model.item : (model.items[key(valueAt(model.attr)) ?? ''] ?? model.defaultItem);
      const hourly = HOURLY.get('flat')?.get(item);
      return hourly === undefined ? undefined : { usd: hourly * hours, basis: `${item} at $${hourly}/h` };
    }
  }
}

/** Estimated monthly cost of one resource of a Terraform type, or undefined when unpriced. */
export function monthlyCost(tfType: string, valueAt: (path: string) => unknown): MonthlyCost | undefined {
  const model = COST_MODELS[tfType];
  return model ? price(model, valueAt) : undefined;
}

/** Whether a change to this attribute can change the price (so unchanged resources skip pricing). */
export function affectsCost(tfType: string, path: string): boolean {
  const m = COST_MODELS[tfType];
  if (!m) return false;
  if (m.kind === 'hourly' || m.kind === 'flat-by') return m.attr === path;
  if (m.kind === 'storage') return m.size === path || m.type === path;
  return false;
}

export { round2 };
