/**
 * The sandbox's product catalogue: 24 demo products, the only item codes the demo bills carry
 * (bills.ts picks each line's product from this list, with its brand and category), answered by
 * `GET /v1.1/product/get?sku=a,b,…` in the v1.1 envelope of product-inventory.md:
 * `{"response": {"status": {…}, "product": {"item": [ … ]}}}`. Several SKUs a call; a SKU the
 * catalogue does not hold is an item with a failed `item_status`; the top status is 200 when all
 * were found, 201 (success, some failed) when some, and `success: false` with 500 when none.
 */
import { invalidInput } from './errors';

export interface DemoProduct {
  itemId: number;
  sku: string;
  description: string;
  brand: string;
  category: string;
  color: string;
  size: string;
  style: string;
  price: number;
  attributes: Array<{ name: string; value: string }>;
}

const BRANDS = ['Puma', 'Nike', 'Adidas', 'Reebok'];
const CATEGORIES = ['Shoes', 'Apparel', 'Accessories'];
const COLOURS = ['Black', 'White', 'Red', 'Blue', 'Green'];
const DIVISIONS = ['Men', 'Women', 'Kids'];
const SIZES: Record<string, string[]> = { Shoes: ['7', '8', '9', '10'], Apparel: ['S', 'M', 'L', 'XL'], Accessories: ['One size'] };

/** The demo catalogue: each brand in each category twice, SKU-100101 to SKU-100124. */
export const DEMO_CATALOGUE: readonly DemoProduct[] = Array.from({ length: 24 }, (_, k): DemoProduct => {
  const brand = BRANDS[k % BRANDS.length] as string;
  const category = CATEGORIES[Math.floor(k / BRANDS.length) % CATEGORIES.length] as string;
  const sizes = SIZES[category] as string[];
  return {
    itemId: 51_000_101 + k,
    sku: `SKU-${100101 + k}`,
    description: `${brand} ${category.toLowerCase()}`,
    brand,
    category,
    color: COLOURS[k % COLOURS.length] as string,
    size: sizes[k % sizes.length] as string,
    style: k % 2 === 0 ? 'Classic' : 'Sport',
    price: 20 + ((k * 37) % 180),
    attributes: [
      { name: 'Division', value: DIVISIONS[k % DIVISIONS.length] as string },
      { name: 'Section', value: category === 'Shoes' ? 'Footwear' : category },
      { name: 'company_code', value: `${brand.slice(0, 3).toUpperCase()}${String(k + 1).padStart(2, '0')}` },
    ],
  };
});

const BY_SKU = new Map(DEMO_CATALOGUE.map((p) => [p.sku, p]));

/** The demo catalogue's product of a SKU (undefined when it holds none). */
export function demoProduct(sku: string | undefined): DemoProduct | undefined {
  return sku === undefined ? undefined : BY_SKU.get(sku);
}

/** The catalogue's product for a line: deterministic in the bill id and the line's place. */
export function demoProductFor(billId: number, line: number): DemoProduct {
  return DEMO_CATALOGUE[(billId * 7 + line * 13) % DEMO_CATALOGUE.length] as DemoProduct;
}

function itemJson(p: DemoProduct): Record<string, unknown> {
  return {
    item_id: p.itemId,
    sku: p.sku,
    item_ean: `40${String(p.itemId).padStart(11, '0')}`,
    price: p.price,
    in_stock: true,
    description: p.description,
    long_description: `${p.description}, ${p.color.toLowerCase()}, ${p.style.toLowerCase()} style`,
    img_url: '',
    size: { name: p.size },
    style: p.style,
    brand: p.brand,
    color: { name: p.color },
    category: { name: p.category },
    attributes: { attribute: p.attributes.map((a) => ({ ...a })) },
    added_on: '2025-11-01 10:00:00',
    ou_id: -1,
    item_status: { success: true, code: 9500, message: 'Product found' },
  };
}

/** GET /v1.1/product/get?sku=a,b,… (or `id=`): the v1.1 envelope with one item per SKU asked. */
export function productGet(url: URL): { status: number; body: unknown } {
  const skus = (url.searchParams.get('sku') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ids = (url.searchParams.get('id') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (skus.length === 0 && ids.length === 0) throw invalidInput('Give the products to read: sku=CODE[,CODE…] or id=ID[,ID…].');
  if (skus.length + ids.length > 100) throw invalidInput('At most 100 products a request.');
  const items: Array<Record<string, unknown>> = [];
  let found = 0;
  for (const sku of skus) {
    const p = BY_SKU.get(sku);
    if (p) {
      found++;
      items.push(itemJson(p));
    } else items.push({ sku, item_status: { success: false, code: 9503, message: 'Product not found' } });
  }
  for (const id of ids) {
    const p = DEMO_CATALOGUE.find((x) => String(x.itemId) === id);
    if (p) {
      found++;
      items.push(itemJson(p));
    } else items.push({ item_id: id, item_status: { success: false, code: 9503, message: 'Product not found' } });
  }
  const status =
    found === items.length
      ? { success: true, code: 200, message: 'SUCCESS' }
      : found > 0
        ? { success: true, code: 201, message: 'Some requests have failed due to errors' }
        : { success: false, code: 500, message: 'All requests have failed due to errors' };
  return { status: 200, body: { response: { status, product: { item: items } } } };
}
