/**
 * The customer list impact runs on: a text file (one id a line; blank lines and `#` comments
 * ignored) or a CSV export (a header naming the id column — id, customerId, customer_id, userId,
 * user_id — else the first column). Ids are positive whole numbers; duplicates are dropped.
 */

export interface CustomerList {
  ids: number[];
  /** Lines that are not an id, with their 1-based line number. */
  problems: Array<{ line: number; text: string }>;
}

const ID_COLUMNS = ['id', 'customerid', 'customer_id', 'userid', 'user_id', 'customer id', 'user id'];

/** The cells of one CSV line (RFC 4180 quotes; no line breaks inside quotes). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';' || c === '\t') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseCustomerList(text: string): CustomerList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const ids: number[] = [];
  const seen = new Set<number>();
  const problems: CustomerList['problems'] = [];
  let column = 0;
  let first = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const row = cells(line);
    if (first) {
      first = false;
      const header = row.findIndex((c) => ID_COLUMNS.includes(c.toLowerCase()));
      if (header >= 0) {
        column = header;
        return;
      }
      if (!/^\d/.test(row[0] ?? '')) return; // a header without a known id column: the first column holds the ids
    }
    const cell = row[column] ?? '';
    if (/^\d{1,15}$/.test(cell) && Number(cell) > 0) {
      const id = Number(cell);
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    } else problems.push({ line: i + 1, text: line.length > 60 ? `${line.slice(0, 60)}…` : line });
  });
  return { ids, problems };
}
