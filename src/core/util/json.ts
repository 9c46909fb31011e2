/** Reading JSON files that editors may have saved with a byte order mark. */

/**
 * The text without a leading UTF-8 byte order mark (U+FEFF), which JSON.parse refuses: Windows
 * editors (Notepad, some PowerShell redirections) write one, and the file is still plain JSON.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
