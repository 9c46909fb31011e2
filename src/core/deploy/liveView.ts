import { isDeepStrictEqual } from 'node:util';
import { getNodeValue, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { TargetGroup } from '../api/types';
import { isRecord, textOf } from '../util/records';
import { lineIndent } from '../definition/edits';
import { jsoncTooDeepAt } from '../definition/depth';
import { definitionFromRemote, definitionItem } from './remote';

/**
 * The live side of a deploy / "Compare with Deployed" diff: the live target group projected onto
 * the local file's shape, so the diff shows only real differences. Keys keep the local order and
 * only keys the local file has appear (server-only fields are left out; a local key the platform
 * does not return is absent, so it shows as a local addition). Items of periods, targets, streaks
 * and defaultValues are matched by id when both sides have one, else by position; live items the
 * file does not list are added at the end of their list. A value the platform spells differently
 * but reads the same (5 and "5", true and "true", 2027-01-01 and 2027-01-01T00:00:00.000Z, the
 * same expressionJson) is shown in the local spelling; anything else keeps the live value, so a
 * real difference always shows. Layout follows the local file: indentation, line ends, one-line
 * objects and arrays. `$schema` is copied from the file. Comments are not reproduced. A file that
 * does not parse gets the live group as `pull` writes it.
 */
export function liveViewForDiff(localText: string, live: TargetGroup): string {
  // Deeper than a definition may be (MS113): the tree walk below would recurse that deep.
  if (jsoncTooDeepAt(localText) >= 0) return definitionFromRemote(live);
  const errors: ParseError[] = [];
  const root = parseTree(localText, errors, { allowTrailingComma: true, disallowComments: false });
  // A file that does not parse has no reliable shape: show the live group as a pulled file.
  if (!root || root.type !== 'object' || errors.length > 0) return definitionFromRemote(live);
  const firstProperty = root.children?.[0];
  const style: Style = {
    text: localText,
    eol: localText.includes('\r\n') ? '\r\n' : '\n',
    unit: (firstProperty && lineIndent(localText, firstProperty.offset)) || '  ',
    zone: zoneOf(live),
  };
  const body = render(style, root, live, undefined, '', true);
  return /\r?\n\s*$/.test(localText) ? body + style.eol : body;
}

interface Style {
  text: string;
  eol: string;
  /** One level of indentation, for containers whose layout the file does not show. */
  unit: string;
  /** The live group's time zone: date-only values are days there. Undefined when unknown. */
  zone: string | undefined;
}

/** Lists whose items carry a server id, matched by it. */
const KEYED_LISTS: ReadonlySet<string> = new Set(['periods', 'targets', 'streaks', 'defaultValues']);

/**
 * Renders `live` in the layout of the local node `node` (when there is one). With `convert`,
 * a scalar equal to the local one under the platform's loose reading is written as the file
 * writes it; without it (a live item rendered on the model of a sibling), values are the live ones.
 */
function render(
  style: Style,
  node: JsonNode | undefined,
  live: unknown,
  key: string | undefined,
  indent: string,
  convert: boolean,
): string {
  if (node?.type === 'object' && isRecord(live)) return renderObject(style, node, live, indent, convert);
  if (node?.type === 'array' && Array.isArray(live)) return renderArray(style, node, live, key, indent, convert);
  if (node && convert && node.type !== 'object' && node.type !== 'array' && sameValue(getNodeValue(node), live, key, style.zone)) {
    return raw(style, node);
  }
  return plain(style, live, indent);
}

function renderObject(style: Style, node: JsonNode, live: Record<string, unknown>, indent: string, convert: boolean): string {
  const layout = containerLayout(style, node, indent);
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const key: unknown = keyNode?.value;
    if (typeof key !== 'string' || !valueNode || seen.has(key)) continue;
    seen.add(key);
    const head = raw(style, keyNode as JsonNode) + separator(style, keyNode as JsonNode, valueNode);
    if (key === '$schema' && !node.parent)
      entries.push(head + raw(style, valueNode)); // a file-only key
    else if (live[key] !== undefined) entries.push(head + render(style, valueNode, live[key], key, layout.childIndent, convert));
  }
  return join(style, '{', '}', entries, layout, indent);
}

function renderArray(style: Style, node: JsonNode, live: unknown[], key: string | undefined, indent: string, convert: boolean): string {
  const layout = containerLayout(style, node, indent);
  const locals = node.children ?? [];
  const pairs = matchItems(locals, live, key !== undefined && KEYED_LISTS.has(key));
  const claimed = new Set(pairs.map(([, i]) => i));
  const entries = pairs.map(([local, i]) => render(style, local, live[i], undefined, layout.childIndent, convert));
  // Live items the file does not list: on the model of the file's first object item, if any.
  const model = locals.find((n) => n.type === 'object');
  live.forEach((item, i) => {
    if (claimed.has(i)) return;
    if (model && isRecord(item)) entries.push(render(style, model, item, undefined, layout.childIndent, false));
    else entries.push(plain(style, key !== undefined ? definitionItem(key, item) : item, layout.childIndent));
  });
  return join(style, '[', ']', entries, layout, indent);
}

/**
 * Pairs local items with live ones (as [local node, live index]), in local order: by id when
 * both carry one (keyed lists), else by position among the live items not matched by id. A
 * local item with an id the platform does not have (or an id already met) gets no partner.
 */
function matchItems(locals: JsonNode[], live: unknown[], keyed: boolean): [JsonNode, number][] {
  const idOf = (v: unknown): string | undefined =>
    keyed && isRecord(v) && v['id'] !== undefined && v['id'] !== null ? textOf(v['id']) : undefined;
  const liveIds = new Map<string, number>();
  live.forEach((item, i) => {
    const id = idOf(item);
    if (id !== undefined && !liveIds.has(id)) liveIds.set(id, i);
  });
  const localIds = locals.map((n) => {
    const idNode = keyed && n.type === 'object' ? n.children?.find((p) => p.children?.[0]?.value === 'id')?.children?.[1] : undefined;
    return idNode ? idOf({ id: getNodeValue(idNode) as unknown }) : undefined;
  });
  const byId = new Set(localIds.flatMap((id) => (id !== undefined && liveIds.has(id) ? [liveIds.get(id) as number] : [])));
  const pairs: [JsonNode, number][] = [];
  const taken = new Set<number>();
  locals.forEach((local, i) => {
    const id = localIds[i];
    if (id !== undefined && liveIds.size > 0) {
      const at = liveIds.get(id);
      if (at !== undefined && !taken.has(at)) pairs.push([local, at]); // a repeated local id meets nothing
      if (at !== undefined) taken.add(at);
    } else if (i < live.length && !byId.has(i)) {
      pairs.push([local, i]);
    }
  });
  return pairs;
}

interface Layout {
  inline: boolean;
  /** Inline: the text after the opening bracket and before the closing one (" " or ""). */
  pad: string;
  /** Inline: the comma between two items and the spaces after it (", " or ","). */
  comma: string;
  childIndent: string;
}

/** How the file lays out a container: on one line, or one item per line at some indentation. */
function containerLayout(style: Style, node: JsonNode, indent: string): Layout {
  const children = node.children ?? [];
  const first = children[0];
  const inline = first !== undefined && !/[\r\n]/.test(style.text.slice(node.offset, node.offset + node.length));
  if (!inline) {
    return { inline, pad: '', comma: ',', childIndent: (first && lineIndent(style.text, first.offset)) ?? indent + style.unit };
  }
  const second = children[1];
  const between = second ? style.text.slice(first.offset + first.length, second.offset) : ', ';
  return {
    inline,
    pad: style.text[node.offset + 1] === ' ' ? ' ' : '',
    comma: /^[ \t]*,[ \t]*$/.test(between) ? between.trimStart() : ', ',
    childIndent: indent,
  };
}

function join(style: Style, open: string, close: string, entries: string[], layout: Layout, indent: string): string {
  if (entries.length === 0) return open + close;
  if (layout.inline) return open + layout.pad + entries.join(layout.comma) + layout.pad + close;
  return open + style.eol + layout.childIndent + entries.join(',' + style.eol + layout.childIndent) + style.eol + indent + close;
}

/** The text between a key and its value (": " as the file writes it), when it holds no comment. */
function separator(style: Style, keyNode: JsonNode, valueNode: JsonNode): string {
  const between = style.text.slice(keyNode.offset + keyNode.length, valueNode.offset);
  return /^[ \t]*:[ \t]*$/.test(between) ? between : ': ';
}

function raw(style: Style, node: JsonNode): string {
  return style.text.slice(node.offset, node.offset + node.length);
}

/** A value with no local counterpart: JSON.stringify with the file's indentation. */
function plain(style: Style, value: unknown, indent: string): string {
  const text = JSON.stringify(value === undefined ? null : value, null, style.unit);
  return text.split('\n').join(style.eol + indent);
}

// ---------------------------------------------------------------------------------------------
// Loose equality: values the platform reads the same, so the diff shows the local spelling.

function zoneOf(live: TargetGroup): string | undefined {
  const zone = live.timeZoneName ?? live['timezoneName'];
  if (zone === undefined || zone === null || zone === '') return 'UTC'; // the platform answers in GMT when it names no zone
  return typeof zone === 'string' && wallClock(0, zone) !== undefined ? zone : undefined;
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function sameValue(local: unknown, live: unknown, key: string | undefined, zone: string | undefined): boolean {
  if (local === live) return true;
  if (typeof local === 'number' && typeof live === 'string') return NUMERIC.test(live) && Number(live) === local;
  if (typeof local === 'string' && typeof live === 'number') return NUMERIC.test(local) && Number(local) === live;
  if (typeof local === 'boolean' && typeof live === 'string') return String(local) === live;
  if (typeof local === 'string' && typeof live === 'boolean') return local === String(live);
  if (typeof local !== 'string' || typeof live !== 'string') return false;
  if (key === 'expressionJson') return sameJson(local, live);
  return sameDate(local, live, zone);
}

function sameJson(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

interface ParsedDate {
  /** The date and time as written (no offset applied), `YYYY-MM-DDTHH:mm:ss`; date-only: the day. */
  written: string;
  dateOnly: boolean;
  /** Epoch ms to the second, when the value carries `Z` or an offset. */
  instant?: number;
}

const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseDate(value: string): ParsedDate | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const day = m[1] as string;
  if (m[2] === undefined) return { written: day, dateOnly: true };
  const written = `${day}T${m[2]}:${m[3]}:${m[4] ?? '00'}`;
  const offset = m[5];
  if (offset === undefined) return { written, dateOnly: false };
  const utc = Date.parse(`${written}Z`);
  if (Number.isNaN(utc)) return undefined;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset === 'Z' ? '0000' : offset.slice(1).replace(':', '');
  return { written, dateOnly: false, instant: utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000 };
}

/** The wall-clock time of an instant in a time zone, `YYYY-MM-DDTHH:mm:ss`; undefined for an unknown zone. */
function wallClock(instant: number, zone: string): string | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(instant);
    const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
  } catch {
    return undefined;
  }
}

/**
 * Whether two date spellings denote the same day (when either is date-only) or the same second.
 * A value without an offset is a wall-clock time in the group's zone; an instant is read there
 * too. With an unknown zone, only spellings that need no zone are matched.
 */
function sameDate(localText: string, liveText: string, zone: string | undefined): boolean {
  const a = parseDate(localText);
  const b = parseDate(liveText);
  if (!a || !b) return false;
  if (a.instant !== undefined && b.instant !== undefined && !a.dateOnly && !b.dateOnly) {
    return Math.floor(a.instant / 1000) === Math.floor(b.instant / 1000);
  }
  const inZone = (d: ParsedDate): string | undefined =>
    d.instant === undefined ? d.written : zone !== undefined ? wallClock(d.instant, zone) : undefined;
  const wa = inZone(a);
  const wb = inZone(b);
  if (wa === undefined || wb === undefined) return false;
  return a.dateOnly || b.dateOnly ? wa.slice(0, 10) === wb.slice(0, 10) : wa === wb;
}
