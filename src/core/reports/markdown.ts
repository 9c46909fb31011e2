/** Markdown for a pull-request comment: text from files and the platform never becomes markup. */

/**
 * One table cell or inline text: HTML and Markdown punctuation escaped, line breaks as spaces,
 * so a message cannot close the table, open a link, mention someone or inject HTML.
 */
export function mdEscape(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~@])/g, '\\$1');
}

/** A table with escaped cells. */
export function mdTable(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.map(mdEscape).join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdEscape).join(' | ')} |`),
  ];
}
