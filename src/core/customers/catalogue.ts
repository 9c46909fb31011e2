import type { ApiResult, CatalogueProduct, ProductsAnswer } from '../api/client';
import type { TargetDefinition } from '../definition';
import type { Bill, LineItem } from './model';

/**
 * Inventory attributes for `basket*(attr, val)` and `doesItemMatch(attr, val)` from the product
 * catalogue (reference/customer-data/product-inventory.md). How the rule engine names inventory
 * attributes is undocumented (the page's Gaps), so a rule's attribute name is matched, ignoring
 * case, against the product's fixed fields (brand, category, color, size, style, sku) and then its
 * `attributes.attribute[].name`; when the catalogue has no such name, the line item's own
 * `attributes` (as the bill sent them) are read; a name found in neither is a reported gap. The
 * catalogue is read as it is now, not as it was at the bill's date.
 */

/** The catalogue lookup (a CapillaryClient, or a fake in tests). */
export interface ProductClient {
  getProducts(skus: readonly string[], signal?: AbortSignal): Promise<ApiResult<ProductsAnswer>>;
}

/** Where looked-up products are kept between runs (the customer data cache of the environment). */
export interface ProductStore {
  getProduct(sku: string): CatalogueProduct | null | undefined;
  putProducts(entries: ReadonlyArray<{ sku: string; product: CatalogueProduct | null }>): Promise<void>;
}

export const FIXED_FIELDS = ['brand', 'category', 'color', 'size', 'style', 'sku'] as const;

const METHOD_NAMES =
  /\b(?:basket(?:Sum|Count|Qty|Includes|Excludes)(?:Regex)?(?:Gross)?|doesItemMatch)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/g;
const FIXED_METHODS = /\bbasket(?:Sum|Count|Qty|Includes|Excludes)(?:Regex)?(Brand|Category)(?:Gross)?\s*\(/g;

/** The inventory attribute names a target's rule matches (`basketSum("BrandName", …)` -> BrandName; basketSumBrand -> brand). */
export function ruleInventoryNames(target: Pick<TargetDefinition, 'expression'> | undefined): string[] {
  const rule = typeof target?.expression === 'string' ? target.expression : '';
  const names = new Set<string>();
  for (const m of rule.matchAll(METHOD_NAMES)) {
    const name = (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1');
    if (name !== '') names.add(name);
  }
  for (const m of rule.matchAll(FIXED_METHODS)) names.add((m[1] as string).toLowerCase());
  return [...names];
}

/** A product's value for an attribute name: a fixed field, then a named attribute, ignoring case. */
export function catalogueValue(product: CatalogueProduct, name: string): string | undefined {
  const lower = name.toLowerCase();
  const fixed = (FIXED_FIELDS as readonly string[]).includes(lower) ? product[lower as (typeof FIXED_FIELDS)[number]] : undefined;
  if (fixed !== undefined) return fixed;
  return product.attributes.find((a) => a.name.toLowerCase() === lower)?.value;
}

function lineItemValue(item: LineItem, name: string): unknown {
  const attrs = item.attributes;
  if (!attrs) return undefined;
  if (Object.prototype.hasOwnProperty.call(attrs, name)) return attrs[name];
  const lower = name.toLowerCase();
  const key = Object.keys(attrs).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : attrs[key];
}

/** Where an inventory attribute's value came from. */
export type AttributeSource = 'catalogue' | 'line item' | 'nowhere';

/**
 * A line item's attributes for the rule's names: each name its catalogue product answers with the
 * catalogue's value, else the item's own attribute (ignoring case); the rest of the item's
 * attributes as they are. `seen` is told where each name was read from.
 */
export function itemAttributes(
  item: LineItem,
  names: readonly string[],
  product: CatalogueProduct | undefined,
  seen?: (name: string, from: AttributeSource) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(item.attributes ?? {}) };
  for (const name of names) {
    const fromProduct = product ? catalogueValue(product, name) : undefined;
    if (fromProduct !== undefined) {
      out[name] = fromProduct;
      seen?.(name, 'catalogue');
      continue;
    }
    const own = lineItemValue(item, name);
    if (own !== undefined) out[name] = own;
    seen?.(name, own !== undefined ? 'line item' : 'nowhere');
  }
  return out;
}

/**
 * One run's catalogue: each SKU looked up once (the store first, then the API, several SKUs a
 * request), and what the lookups found, for the readings of the rows.
 */
export class Catalogue {
  private readonly known = new Map<string, CatalogueProduct | null>();
  private readonly pending = new Map<string, Promise<void>>();
  /** Names seen in the catalogue: the fixed fields of a found product, and every attribute name (lower case). */
  private readonly namesSeen = new Set<string>();
  /** Names read from the catalogue / from a line item, and names found nowhere (as the rule spells them). */
  private readonly fromCatalogue = new Set<string>();
  private readonly fromLineItems = new Set<string>();
  private readonly nowhere = new Set<string>();
  private failure: string | undefined;
  private anyFound = false;

  constructor(
    private readonly client: ProductClient | undefined,
    private readonly store?: ProductStore | undefined,
  ) {}

  /** Looks up the SKUs of the bills' line items not known yet (a failed lookup is kept as a reading, not thrown). */
  async load(bills: readonly Bill[], signal?: AbortSignal): Promise<void> {
    const wanted = new Set<string>();
    for (const b of bills) for (const i of b.lineItems ?? []) if (i.code !== undefined && i.code !== '') wanted.add(i.code);
    const waits: Promise<void>[] = [];
    const ask: string[] = [];
    for (const sku of wanted) {
      if (this.known.has(sku)) continue;
      const inFlight = this.pending.get(sku);
      if (inFlight) {
        waits.push(inFlight);
        continue;
      }
      const stored = this.store?.getProduct(sku);
      if (stored !== undefined) this.remember(sku, stored);
      else ask.push(sku);
    }
    if (ask.length > 0 && this.client && this.failure === undefined) {
      const lookup = this.lookup(ask, signal);
      for (const sku of ask) this.pending.set(sku, lookup);
      waits.push(lookup);
    }
    await Promise.all(waits);
  }

  private async lookup(skus: string[], signal: AbortSignal | undefined): Promise<void> {
    try {
      const r = await (this.client as ProductClient).getProducts(skus, signal);
      const found = new Map(r.data.products.map((p) => [p.sku, p]));
      const entries = skus.map((sku) => ({ sku, product: found.get(sku) ?? null }));
      for (const e of entries) this.remember(e.sku, e.product);
      await this.store?.putProducts(entries);
    } catch (e) {
      if (signal?.aborted) throw e;
      this.failure = e instanceof Error ? e.message : String(e);
    } finally {
      for (const sku of skus) this.pending.delete(sku);
    }
  }

  private remember(sku: string, product: CatalogueProduct | null): void {
    this.known.set(sku, product);
    if (!product) return;
    this.anyFound = true;
    for (const f of FIXED_FIELDS) if (product[f] !== undefined) this.namesSeen.add(f);
    for (const a of product.attributes) this.namesSeen.add(a.name.toLowerCase());
  }

  product(sku: string | undefined): CatalogueProduct | undefined {
    return sku === undefined ? undefined : (this.known.get(sku) ?? undefined);
  }

  /**
   * A line item's attributes for the rule's names (itemAttributes with the item's product), noting
   * for the readings which names the catalogue answered and which it does not know.
   */
  attributesFor(item: LineItem, names: readonly string[]): Record<string, unknown> {
    return itemAttributes(item, names, this.product(item.code), (name, from) => {
      if (from === 'catalogue') this.fromCatalogue.add(name);
      else if (this.namesSeen.has(name.toLowerCase())) return;
      else if (from === 'line item') this.fromLineItems.add(name);
      else this.nowhere.add(name);
    });
  }

  /** The line items' attributes as a target's rule reads them; undefined when the rule reads no inventory attribute. */
  attributesOf(target: TargetDefinition | undefined): ((item: LineItem) => Record<string, unknown>) | undefined {
    const names = ruleInventoryNames(target);
    return names.length > 0 ? (item) => this.attributesFor(item, names) : undefined;
  }

  /** What the rows say about a target's inventory attributes: gaps, the fallback, the catalogue's date. */
  readings(target: TargetDefinition | undefined): string[] {
    const names = ruleInventoryNames(target);
    if (names.length === 0) return [];
    const out: string[] = [];
    if (this.failure !== undefined)
      out.push(`the product catalogue could not be read (${this.failure}): inventory attributes read from the line items' attributes`);
    for (const name of names) {
      const inCatalogue = this.namesSeen.has(name.toLowerCase());
      if (inCatalogue) continue;
      if (this.nowhere.has(name) && !this.fromLineItems.has(name))
        out.push(`attribute ${name} not in the catalogue (nor on the bills' line items): no line item matches it`);
      else if (this.fromLineItems.has(name))
        out.push(`attribute ${name} not in the catalogue: read from the line items' attributes sent with the bill`);
      else if (this.known.size > 0 && !this.anyFound)
        out.push(`attribute ${name} not in the catalogue (none of the bills' items is in it)`);
    }
    if (names.some((n) => this.fromCatalogue.has(n)))
      out.push(
        "inventory attributes read from the product catalogue as it is now, not as at the bill's date (undocumented naming: matched to its fields and attribute names, ignoring case)",
      );
    return out;
  }
}

/** The run's catalogue when the client can look products up (else undefined: line items' own attributes, as before). */
export function catalogueFor(client: object, store?: ProductStore): Catalogue | undefined {
  const lookup = (client as Partial<ProductClient>).getProducts;
  return typeof lookup === 'function' ? new Catalogue(client as ProductClient, store) : undefined;
}
