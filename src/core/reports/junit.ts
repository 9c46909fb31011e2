/**
 * JUnit XML, as test reporters read it (Jenkins, GitLab, GitHub test-report actions): one
 * `<testsuite>` per command, one `<testcase>` per file; a failing file has one `<failure>`
 * listing its problems, a file that could not be read an `<error>`.
 */
export interface JUnitCase {
  name: string;
  classname: string;
  file?: string | undefined;
  failure?: { type: string; message: string; text: string };
  error?: { type: string; message: string; text: string };
  skipped?: string;
  /** Warnings and other notes that do not fail the case. */
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

/**
 * Text and attribute values: the five markup characters as entities, and the characters XML 1.0
 * cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF) as U+FFFD.
 */
export function xmlEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + (s[i + 1] as string);
        i++;
      } else out += '\uFFFD';
      continue;
    }
    if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) {
      out += '\uFFFD';
      continue;
    }
    switch (c) {
      case 0x26:
        out += '&amp;';
        break;
      case 0x3c:
        out += '&lt;';
        break;
      case 0x3e:
        out += '&gt;';
        break;
      case 0x22:
        out += '&quot;';
        break;
      case 0x27:
        out += '&apos;';
        break;
      // Attribute values normalise raw newlines and tabs to spaces; keep them as character references.
      case 0x0a:
        out += '&#10;';
        break;
      case 0x0d:
        out += '&#13;';
        break;
      case 0x09:
        out += '&#9;';
        break;
      default:
        out += s[i];
    }
  }
  return out;
}

export function junitXml(suites: JUnitSuite[]): string {
  const attrs = (pairs: Array<[string, string | number | undefined]>): string =>
    pairs
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
      .join('');
  const count = (cases: JUnitCase[], key: 'failure' | 'error' | 'skipped'): number => cases.filter((c) => c[key] !== undefined).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attrs([
      ['name', suites.map((s) => s.name).join(', ')],
      ['tests', all.length],
      ['failures', count(all, 'failure')],
      ['errors', count(all, 'error')],
      ['skipped', count(all, 'skipped')],
    ])}>`,
  );
  for (const suite of suites) {
    lines.push(
      `  <testsuite${attrs([
        ['name', suite.name],
        ['tests', suite.cases.length],
        ['failures', count(suite.cases, 'failure')],
        ['errors', count(suite.cases, 'error')],
        ['skipped', count(suite.cases, 'skipped')],
      ])}>`,
    );
    for (const c of suite.cases) {
      const head = `    <testcase${attrs([
        ['name', c.name],
        ['classname', c.classname],
        ['file', c.file],
      ])}`;
      const body: string[] = [];
      if (c.failure)
        body.push(
          `      <failure${attrs([
            ['type', c.failure.type],
            ['message', c.failure.message],
          ])}>${xmlEscape(c.failure.text)}</failure>`,
        );
      if (c.error)
        body.push(
          `      <error${attrs([
            ['type', c.error.type],
            ['message', c.error.message],
          ])}>${xmlEscape(c.error.text)}</error>`,
        );
      if (c.skipped !== undefined) body.push(`      <skipped${attrs([['message', c.skipped]])}/>`);
      if (c.systemOut) body.push(`      <system-out>${xmlEscape(c.systemOut)}</system-out>`);
      lines.push(body.length === 0 ? `${head}/>` : `${head}>`, ...body, ...(body.length === 0 ? [] : ['    </testcase>']));
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
