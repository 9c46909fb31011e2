import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { Transport } from '../transport';
import type { ApiResult } from './response';

/**
 * The product catalogue (reference/customer-data/product-inventory.md): `GET /v1.1/product/get
 * ?sku=a,b,…` answers several products at a time in the v1.1 envelope,
 * `{"response": {"status": {…}, "product": {"item": [ … ]}}}`. The v1.1 shape is read
 * defensively (README "Platform facts: customer data"): the products under `response.product.item`
 * or a bare `product.item`, one item as an object or many as an array, numbers and booleans as
 * strings, `size`/`color`/`category` as text or as an object, `attributes.attribute` as an array
 * or one object. An item whose `item_status` says it failed is a SKU the catalogue does not know.
 */

/** One product of the catalogue, with what rules match: the fixed fields and the named attributes. */
export interface CatalogueProduct {
  sku: string;
  itemId?: number;
  description?: string;
  brand?: string;
  category?: string;
  color?: string;
  size?: string;
  style?: string;
  /** `attributes.attribute[]`: the org's own inventory attributes, in the catalogue's order. */
  attributes: Array<{ name: string; value: string }>;
}

export interface ProductsAnswer {
  products: CatalogueProduct[];
  /** SKUs an item answered for with a failed `item_status` (not in the catalogue). */
  missing: string[];
  /** The envelope's own status when it says the request failed (`success` false, or a code of 400 or more, not 201's partial success). */
  failure?: { code?: number; message?: string };
}

/** SKUs asked per request: the page promises several per call but states no limit; this keeps the URL short. */
export const SKUS_PER_REQUEST = 50;

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'boolean' ? String(v) : undefined;

/** A field the page types as "obj" (size, color, category): its text, or the text of its name/value/label/code. */
function fieldText(v: unknown): string | undefined {
  const direct = text(v);
  if (direct !== undefined) return direct.trim() === '' ? undefined : direct;
  if (!isRecord(v)) return undefined;
  for (const key of ['name', 'value', 'label', 'code']) {
    const t = text(v[key]);
    if (t !== undefined && t.trim() !== '') return t;
  }
  return undefined;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function integer(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim()) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** A v1.1 status object `{success, code, message}`: failed when success is false or the code is 400 or more (201 is a partial success). */
function statusOf(v: unknown): { failed: boolean; code?: number; message?: string } | undefined {
  if (!isRecord(v)) return undefined;
  const success = v.success === true || v.success === 'true' ? true : v.success === false || v.success === 'false' ? false : undefined;
  const code = integer(v.code);
  const message = text(v.message);
  const failed = success === false || (success === undefined && code !== undefined && code >= 400);
  return { failed, ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
}

function productOf(item: Record<string, unknown>): CatalogueProduct | undefined {
  const sku = text(item.sku) ?? text(item.item_sku);
  if (sku === undefined || sku.trim() === '') return undefined;
  const attributes: CatalogueProduct['attributes'] = [];
  const attrs = item.attributes;
  const entries = isRecord(attrs) && 'attribute' in attrs ? list(attrs.attribute) : Array.isArray(attrs) ? attrs : [];
  for (const a of entries) {
    if (!isRecord(a)) continue;
    const name = text(a.name);
    const value = fieldText(a.value);
    if (name !== undefined && name.trim() !== '' && value !== undefined) attributes.push({ name, value });
  }
  const product: CatalogueProduct = { sku, attributes };
  const id = integer(item.item_id) ?? integer(item.id);
  if (id !== undefined) product.itemId = id;
  for (const key of ['description', 'brand', 'category', 'color', 'size', 'style'] as const) {
    const v = fieldText(item[key]);
    if (v !== undefined) product[key] = v;
  }
  return product;
}

/**
 * The products of a v1.1 `product/get` answer, whatever JSON it is: never throws. The items under
 * `response.product.item` (or `product.item`); an item with a failed `item_status` is missing.
 */
export function readProductsEnvelope(body: unknown): ProductsAnswer {
  const root = isRecord(body) && isRecord(body.response) ? body.response : isRecord(body) ? body : {};
  const products: CatalogueProduct[] = [];
  const missing: string[] = [];
  const product = root.product;
  const items = isRecord(product) ? list(product.item) : Array.isArray(product) ? product : [];
  for (const raw of items) {
    if (!isRecord(raw)) continue;
    const status = statusOf(raw.item_status);
    if (status?.failed) {
      const sku = text(raw.sku);
      if (sku !== undefined && sku.trim() !== '') missing.push(sku);
      continue;
    }
    const p = productOf(raw);
    if (p) products.push(p);
  }
  const top = statusOf(root.status);
  const answer: ProductsAnswer = { products, missing };
  if (top?.failed)
    answer.failure = {
      ...(top.code !== undefined ? { code: top.code } : {}),
      ...(top.message !== undefined ? { message: top.message } : {}),
    };
  return answer;
}

/**
 * The catalogue's products for the SKUs, `SKUS_PER_REQUEST` a request. A SKU the answer does not
 * name is missing. An answer that says the whole request failed and names no item at all is an
 * error (a wrong parameter, no access); a failure that lists failed items is a lookup that found
 * none of them.
 */
export async function getProducts(t: Transport, skus: readonly string[], signal?: AbortSignal): Promise<ApiResult<ProductsAnswer>> {
  const unique = [...new Set(skus.filter((s) => s.trim() !== ''))];
  const products = new Map<string, CatalogueProduct>();
  const missing = new Set<string>();
  let status = 200;
  const warnings: ApiResult<unknown>['warnings'] = [];
  for (let i = 0; i < unique.length; i += SKUS_PER_REQUEST) {
    const batch = unique.slice(i, i + SKUS_PER_REQUEST);
    const what = `Reading ${batch.length} product(s) of the catalogue`;
    const r = await t.request<unknown>({
      method: 'GET',
      path: '/v1.1/product/get',
      query: { sku: batch.join(','), format: 'json' },
      what,
      signal,
    });
    status = r.status;
    warnings.push(...r.warnings);
    const answer = readProductsEnvelope(r.body);
    if (answer.failure && answer.products.length === 0 && answer.missing.length === 0)
      throw new ApiError({
        kind: 'platform',
        summary: `${what} failed`,
        status: r.status,
        ...(answer.failure.code !== undefined ? { code: answer.failure.code } : {}),
        ...(answer.failure.message !== undefined ? { platformMessage: answer.failure.message } : {}),
      });
    // The SKU as asked (a catalogue may spell its case differently).
    const asked = new Map(batch.map((s) => [s.toLowerCase(), s]));
    for (const p of answer.products) {
      const sku = batch.includes(p.sku) ? p.sku : asked.get(p.sku.toLowerCase());
      if (sku !== undefined && !products.has(sku)) products.set(sku, { ...p, sku });
    }
    for (const sku of batch) if (!products.has(sku)) missing.add(sku);
  }
  return { data: { products: [...products.values()], missing: [...missing] }, warnings, status };
}
