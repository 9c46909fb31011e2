import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CatalogueProduct } from '../api/client';
import type { ProductStore } from '../customers/catalogue';
import type { Bill, Customer } from '../customers/model';
import type { DateRange } from '../customers/source';

/**
 * The local cache of fetched customer data, one per environment (README "Impact": why
 * append-only JSON lines). A file `customers.jsonl` in the environment's folder holds one line
 * per fetched customer: the range and whether line items were read, the profile (when a rule
 * reads it) and the bills.
 * A line is appended as soon as a customer is read, so an interrupted run resumes where it
 * stopped; a later line for the same customer wins; a torn last line (a crash mid-write) is
 * skipped. The index keeps only each customer's byte position, so memory stays flat; a customer is
 * read back with one positioned read. No credentials are written: the folder is named by a hash
 * of the base URL and holds customer data only.
 */

export interface CachedCustomer {
  customerId: number;
  range: DateRange;
  lineItems: boolean;
  /** false: the profile was not read (no rule read currentCustomer). Absent on every line that has it, as written before. */
  profile?: false;
  fetchedAt: number;
  customer: Customer | undefined;
  bills: Bill[];
}

/** The cache root: MILESTONES_CACHE_DIR, else the platform's user cache folder (never the workspace). */
export function cacheRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.MILESTONES_CACHE_DIR) return env.MILESTONES_CACHE_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'milestone-studio', 'cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'milestone-studio');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'milestone-studio');
}

/** The folder of one environment's cache: named by a hash of its base URL (no host name, no credentials on disk). */
export function environmentCacheDir(root: string, baseUrl: string): string {
  return join(root, 'customers', createHash('sha256').update(baseUrl.replace(/\/+$/, '')).digest('hex').slice(0, 16));
}

function isCached(v: unknown): v is CachedCustomer {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<CachedCustomer>;
  return (
    typeof c.customerId === 'number' &&
    typeof c.range === 'object' &&
    c.range !== null &&
    typeof c.range.from === 'number' &&
    typeof c.range.to === 'number' &&
    Array.isArray(c.bills) &&
    typeof c.lineItems === 'boolean'
  );
}

/**
 * Besides the customers, `products.jsonl` keeps the catalogue's answer per SKU (the product, or
 * null for a SKU the catalogue does not know), one line each, read whole when the cache opens
 * (a catalogue is small next to the bills); a later line for the same SKU wins.
 */
export class CustomerCache implements ProductStore {
  private readonly file: string;
  private readonly productsFile: string;
  private readonly products = new Map<string, CatalogueProduct | null>();
  /** customerId -> [byte offset, byte length] of its latest line. */
  private readonly index = new Map<number, [number, number]>();
  private size = 0;
  private handle: fs.FileHandle | undefined;
  private reader: fs.FileHandle | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string) {
    this.file = join(dir, 'customers.jsonl');
    this.productsFile = join(dir, 'products.jsonl');
  }

  /** Opens (and indexes) an environment's cache; `refresh` starts it empty. */
  static async open(dir: string, options: { refresh?: boolean } = {}): Promise<CustomerCache> {
    const cache = new CustomerCache(dir);
    await fs.mkdir(dir, { recursive: true });
    if (options.refresh) {
      await fs.rm(cache.file, { force: true });
      await fs.rm(cache.productsFile, { force: true });
    }
    await cache.load();
    await cache.loadProducts();
    cache.handle = await fs.open(cache.file, 'a');
    cache.reader = await fs.open(cache.file, 'r');
    return cache;
  }

  /** Deletes an environment's cache folder; true when there was one. */
  static async clear(dir: string): Promise<boolean> {
    try {
      await fs.access(dir);
    } catch {
      return false;
    }
    await fs.rm(dir, { recursive: true, force: true });
    return true;
  }

  get customers(): number {
    return this.index.size;
  }

  private async load(): Promise<void> {
    let offset = 0;
    try {
      const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
      for await (const line of lines) {
        const length = Buffer.byteLength(line) + 1;
        const id = /^\{"customerId":(\d{1,15}),/.exec(line)?.[1];
        if (id !== undefined && line.endsWith('}')) this.index.set(Number(id), [offset, length - 1]);
        offset += length;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    this.size = offset;
    // A torn last line (no newline) is left where it is; the next append starts on a new line.
    if (offset > 0) {
      const stat = await fs.stat(this.file);
      if (stat.size !== offset) this.size = stat.size;
    }
  }

  private async loadProducts(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.productsFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const line of text.split('\n')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a torn line
      }
      if (typeof parsed !== 'object' || parsed === null) continue;
      const { sku, product } = parsed as { sku?: unknown; product?: unknown };
      if (typeof sku !== 'string') continue;
      if (product === null) this.products.set(sku, null);
      else if (isProduct(product) && product.sku === sku) this.products.set(sku, product);
    }
  }

  /** The catalogue's answer for a SKU as cached: the product, null (not in the catalogue), or undefined (never looked up). */
  getProduct(sku: string): CatalogueProduct | null | undefined {
    return this.products.get(sku);
  }

  /** Appends looked-up SKUs (one line each, written with the customers' lines' serialisation). */
  putProducts(entries: ReadonlyArray<{ sku: string; product: CatalogueProduct | null }>): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) this.products.set(e.sku, e.product);
    const text = entries.map((e) => JSON.stringify({ sku: e.sku, product: e.product })).join('\n') + '\n';
    this.writing = this.writing.then(async () => {
      let prefix = '';
      try {
        const stat = await fs.stat(this.productsFile);
        if (stat.size > 0) {
          const handle = await fs.open(this.productsFile, 'r');
          const b = Buffer.alloc(1);
          await handle.read(b, 0, 1, stat.size - 1);
          await handle.close();
          if (b[0] !== 0x0a) prefix = '\n';
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await fs.appendFile(this.productsFile, prefix + text);
    });
    return this.writing;
  }

  /** The cached data of a customer when it covers the range (and has line items, and the profile, when they are needed). */
  async get(customerId: number, range: DateRange, lineItems: boolean, profile = true): Promise<CachedCustomer | undefined> {
    const at = this.index.get(customerId);
    if (!at || !this.reader) return undefined;
    const buffer = Buffer.alloc(at[1]);
    await this.reader.read(buffer, 0, at[1], at[0]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isCached(parsed) || parsed.customerId !== customerId) return undefined;
    if (parsed.range.from > range.from || parsed.range.to < range.to || (lineItems && !parsed.lineItems)) return undefined;
    if (profile && parsed.profile === false) return undefined;
    return { ...parsed, bills: parsed.bills.filter((b) => inRange(b, range)) };
  }

  /** Appends a customer's data (serialised: one line at a time, each whole). */
  put(entry: CachedCustomer): Promise<void> {
    const line = JSON.stringify(entry);
    this.writing = this.writing.then(async () => {
      if (!this.handle) return;
      const prefix = this.size > 0 && (await this.endsTorn()) ? '\n' : '';
      const text = `${prefix}${line}\n`;
      await this.handle.write(text);
      const start = this.size + Buffer.byteLength(prefix);
      this.index.set(entry.customerId, [start, Buffer.byteLength(line)]);
      this.size += Buffer.byteLength(text);
    });
    return this.writing;
  }

  private async endsTorn(): Promise<boolean> {
    const b = Buffer.alloc(1);
    await this.reader?.read(b, 0, 1, this.size - 1);
    return b[0] !== 0x0a;
  }

  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.handle?.close();
    await this.reader?.close();
    this.handle = undefined;
    this.reader = undefined;
  }
}

function isProduct(v: unknown): v is CatalogueProduct {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<CatalogueProduct>;
  return (
    typeof p.sku === 'string' &&
    Array.isArray(p.attributes) &&
    p.attributes.every((a) => typeof a === 'object' && a !== null && typeof a.name === 'string' && typeof a.value === 'string')
  );
}

function inRange(bill: Bill, range: DateRange): boolean {
  const t = bill.billingTime ? Date.parse(bill.billingTime) : NaN;
  return Number.isNaN(t) || (t >= range.from && t <= range.to);
}
